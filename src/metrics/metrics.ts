// Prometheus metrics at /_stagecraft/metrics (prom-client): what self-hosters graph and alert on —
// invocations and their durations per function, cold starts, throttles, API requests per stage
// and status, environments and queued asynchronous invocations, and the process's own figures.
// The hot paths call two small methods; labelled children are cached, so a request costs a Map
// lookup and two additions, no label hashing. Labels come only from things that exist (a function
// that ran, a stage that resolved), so a client cannot grow the series by sending made-up names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type InvocationResult = 'success' | 'function_error' | 'throttled';

/** What the invoke pipeline reports. */
export interface InvocationMetrics {
  invocation(functionName: string, result: InvocationResult, durationMs?: number, coldStart?: boolean): void;
}

/** What the execute-api front reports. */
export interface ApiRequestMetrics {
  apiRequest(apiId: string, stage: string, status: number, durationMs: number): void;
}

export interface GaugeSources {
  environments(): { busy: number; idle: number; prestarted: number };
  asyncInvocations(): { queued: number; running: number };
}

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export class Metrics implements InvocationMetrics, ApiRequestMetrics {
  readonly #registry = new Registry();
  readonly #invocations = new Counter({ name: 'stagecraft_lambda_invocations_total', help: 'Lambda invocations by function and result', labelNames: ['function_name', 'result'] as const, registers: [this.#registry] });
  readonly #durations = new Histogram({ name: 'stagecraft_lambda_invocation_duration_seconds', help: 'Duration of Lambda invocations as REPORT gives it', labelNames: ['function_name'] as const, buckets: DURATION_BUCKETS, registers: [this.#registry] });
  readonly #coldStarts = new Counter({ name: 'stagecraft_lambda_cold_starts_total', help: 'Invocations that started an execution environment', labelNames: ['function_name'] as const, registers: [this.#registry] });
  readonly #requests = new Counter({ name: 'stagecraft_apigateway_requests_total', help: 'Requests to API Gateway stages by status', labelNames: ['api_id', 'stage', 'status'] as const, registers: [this.#registry] });
  readonly #latency = new Histogram({ name: 'stagecraft_apigateway_request_duration_seconds', help: 'Time from a stage request to its answer', labelNames: ['api_id', 'stage'] as const, buckets: DURATION_BUCKETS, registers: [this.#registry] });
  readonly #counters = new Map<string, { inc(): void }>();
  readonly #histograms = new Map<string, { observe(v: number): void }>();

  constructor(sources: GaugeSources) {
    collectDefaultMetrics({ register: this.#registry });
    new Gauge({
      name: 'stagecraft_environments', help: 'Execution environments by state', labelNames: ['state'] as const, registers: [this.#registry],
      collect() {
        const e = sources.environments();
        this.set({ state: 'busy' }, e.busy);
        this.set({ state: 'idle' }, e.idle);
        this.set({ state: 'prestarted' }, e.prestarted);
      },
    });
    new Gauge({
      name: 'stagecraft_async_invocations', help: 'Asynchronous invocations queued and running', labelNames: ['state'] as const, registers: [this.#registry],
      collect() {
        const q = sources.asyncInvocations();
        this.set({ state: 'queued' }, q.queued);
        this.set({ state: 'running' }, q.running);
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
    cached(this.#counters, `i\0${functionName}\0${result}`, () => this.#invocations.labels(functionName, result)).inc();
    if (durationMs !== undefined) cached(this.#histograms, `d\0${functionName}`, () => this.#durations.labels(functionName)).observe(durationMs / 1000);
    if (coldStart) cached(this.#counters, `c\0${functionName}`, () => this.#coldStarts.labels(functionName)).inc();
  }

  apiRequest(apiId: string, stage: string, status: number, durationMs: number): void {
    cached(this.#counters, `r\0${apiId}\0${stage}\0${status}`, () => this.#requests.labels(apiId, stage, String(status))).inc();
    cached(this.#histograms, `l\0${apiId}\0${stage}`, () => this.#latency.labels(apiId, stage)).observe(durationMs / 1000);
  }
}

/** A labelled child, made once per label set. */
function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let child = map.get(key);
  if (child === undefined) map.set(key, (child = make()));
  return child;
}
