// Prometheus metrics at /_stagecraft/metrics (prom-client): what self-hosters graph and alert on —
// invocations and their durations per function, cold starts, throttles, API requests per stage
// and status, stage cache hits and misses (API Gateway's CacheHitCount and CacheMissCount), environments and queued asynchronous invocations,
// the request memory in use and the requests refused for want of it, and the process's own figures.
// The hot paths call two small methods; their series are plain numbers (series.ts), so a request
// costs a Map lookup and a few additions, no label hashing. Labels come only from things that exist
// (a function that ran, a stage that resolved), so a client cannot grow the series by sending
// made-up names.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CounterSeries, HistogramSeries } from './series.js';

export type InvocationResult = 'success' | 'function_error' | 'throttled';

/** What the invoke pipeline reports. */
export interface InvocationMetrics {
  invocation(functionName: string, result: InvocationResult, durationMs?: number, coldStart?: boolean): void;
}

/** What the execute-api front reports. */
export interface ApiRequestMetrics {
  apiRequest(apiId: string, stage: string, status: number, durationMs: number): void;
  /** A request to a caching method answered from the stage cache (hit) or by the integration (miss). */
  apiCache(apiId: string, stage: string, hit: boolean): void;
}

export interface GaugeSources {
  environments(): { busy: number; idle: number; prestarted: number };
  asyncInvocations(): { queued: number; running: number };
  /** The request memory budget: bytes held by requests in flight, its limit, requests refused so far. */
  requestMemory(): { inFlight: number; limit: number; refusals: number };
}

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export class Metrics implements InvocationMetrics, ApiRequestMetrics {
  readonly #registry = new Registry();
  readonly #invocations = new CounterSeries(this.#registry, 'stagecraft_lambda_invocations_total', 'Lambda invocations by function and result');
  readonly #durations = new HistogramSeries(this.#registry, 'stagecraft_lambda_invocation_duration_seconds', 'Duration of Lambda invocations as REPORT gives it', DURATION_BUCKETS);
  readonly #coldStarts = new CounterSeries(this.#registry, 'stagecraft_lambda_cold_starts_total', 'Invocations that started an execution environment');
  readonly #requests = new CounterSeries(this.#registry, 'stagecraft_apigateway_requests_total', 'Requests to API Gateway stages by status');
  readonly #cache = new CounterSeries(this.#registry, 'stagecraft_apigateway_cache_requests_total', 'Requests to caching methods by result (hit or miss)');
  readonly #latency = new HistogramSeries(this.#registry, 'stagecraft_apigateway_request_duration_seconds', 'Time from a stage request to its answer', DURATION_BUCKETS);

  constructor(sources: GaugeSources) {
    collectDefaultMetrics({ register: this.#registry });
    const byState = (name: string, help: string, read: () => Record<string, number>): void => {
      new Gauge({
        name, help, labelNames: ['state'] as const, registers: [this.#registry],
        collect() {
          for (const [state, value] of Object.entries(read())) this.set({ state }, value);
        },
      });
    };
    byState('stagecraft_environments', 'Execution environments by state', () => {
      const e = sources.environments();
      return { busy: e.busy, idle: e.idle, prestarted: e.prestarted };
    });
    byState('stagecraft_async_invocations', 'Asynchronous invocations queued and running', () => {
      const q = sources.asyncInvocations();
      return { queued: q.queued, running: q.running };
    });
    byState('stagecraft_request_memory_bytes', 'Request bytes held in memory by requests in flight, and the limit (--max-request-memory)', () => {
      const m = sources.requestMemory();
      return { in_flight: m.inFlight, limit: m.limit };
    });
    new Counter({
      name: 'stagecraft_request_memory_refusals_total', help: 'Requests refused because the request memory budget had no room for them', registers: [this.#registry],
      collect() {
        this.reset();
        this.inc(sources.requestMemory().refusals);
      },
    });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  text(): Promise<string> {
    return this.#registry.metrics();
  }

  invocation(functionName: string, result: InvocationResult, durationMs?: number, coldStart = false): void {
    const key = `${functionName}\0${result}`;
    (this.#invocations.get(key) ?? this.#invocations.add(key, { function_name: functionName, result })).value++;
    if (durationMs !== undefined) (this.#durations.get(functionName) ?? this.#durations.add(functionName, { function_name: functionName })).observe(durationMs / 1000);
    if (coldStart) (this.#coldStarts.get(functionName) ?? this.#coldStarts.add(functionName, { function_name: functionName })).value++;
  }

  apiRequest(apiId: string, stage: string, status: number, durationMs: number): void {
    const stageKey = `${apiId}\0${stage}`;
    const statusKey = `${stageKey}\0${status}`;
    (this.#requests.get(statusKey) ?? this.#requests.add(statusKey, { api_id: apiId, stage, status: String(status) })).value++;
    (this.#latency.get(stageKey) ?? this.#latency.add(stageKey, { api_id: apiId, stage })).observe(durationMs / 1000);
  }

  apiCache(apiId: string, stage: string, hit: boolean): void {
    const result = hit ? 'hit' : 'miss';
    const key = `${apiId}\0${stage}\0${result}`;
    (this.#cache.get(key) ?? this.#cache.add(key, { api_id: apiId, stage, result })).value++;
  }
}
