// The Lambda Telemetry API (2022-07-01) of one environment: its external extensions subscribe with
// `PUT /2022-07-01/telemetry`, and the platform POSTs them batches of events (telemetry-batcher.ts)
// at the URI they gave, a listener of theirs inside the sandbox: `sandbox.localdomain` is 127.0.0.1
// (in the sandbox's /etc/hosts too). With the host's network that is the host's loopback; in an
// environment's own network namespace (function-network.ts) a relay inside it posts for us.
//
// Events (schema 2022-12-13): platform.initStart, platform.initRuntimeDone, platform.initReport,
// platform.extension, platform.telemetrySubscription, platform.start, platform.runtimeDone,
// platform.report, and `function` (a line of output, the record being the line). Events from the
// environment's start are kept until init is over, so that an extension subscribing during init
// gets platform.initStart as on AWS; after init, an environment without subscribers keeps nothing.
import * as http from 'node:http';
import { TelemetryBatcher, type BufferingLimits, type TelemetryEvent } from './telemetry-batcher.js';
import type { ExtensionAnswer } from './extensions-api.js';

export type TelemetryType = 'platform' | 'function' | 'extension';

export interface TelemetrySubscription {
  /** Where batches go (the host part already resolved: sandbox.localdomain is 127.0.0.1, the environment's loopback). */
  url: URL;
  types: Set<TelemetryType>;
  buffering: BufferingLimits;
}

const SCHEMA_VERSIONS = ['2022-07-01', '2022-12-13', '2025-01-29'];
const TYPES: readonly string[] = ['platform', 'function', 'extension'];
/** AWS's bounds and defaults (Telemetry API reference, "buffering"). */
const BOUNDS: Record<keyof BufferingLimits, { min: number; max: number; default: number }> = {
  maxItems: { min: 1000, max: 10000, default: 1000 },
  maxBytes: { min: 262144, max: 1048576, default: 262144 },
  timeoutMs: { min: 25, max: 30000, default: 1000 },
};
/** Host names an extension's listener may be named by: all the loopback interface here. */
const SANDBOX_HOSTS = new Set(['sandbox.localdomain', 'sandbox', 'localhost', '127.0.0.1']);
/** A listener gets this long to take a batch. */
const POST_TIMEOUT_MS = 5000;

const invalid = (errorMessage: string): ExtensionAnswer => ({ status: 400, body: { errorMessage, errorType: 'ValidationError' } });

/** A subscribe request's body: the subscription, or AWS's 400 ValidationError. */
export function parseSubscription(body: Buffer): TelemetrySubscription | ExtensionAnswer {
  let req: { schemaVersion?: unknown; destination?: { protocol?: unknown; URI?: unknown }; types?: unknown; buffering?: Record<string, unknown> };
  try {
    req = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return invalid(`request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof req !== 'object' || req === null) return invalid('request body must be a JSON object');
  if (typeof req.schemaVersion !== 'string' || !SCHEMA_VERSIONS.includes(req.schemaVersion)) {
    return invalid(`schemaVersion must be one of ${SCHEMA_VERSIONS.join(', ')}`);
  }
  const dest = req.destination;
  if (typeof dest !== 'object' || dest === null) return invalid('destination is required');
  if (dest.protocol === 'TCP') return invalid('destination protocol TCP is not supported here; use HTTP');
  if (dest.protocol !== 'HTTP') return invalid('destination protocol must be HTTP or TCP');
  let url: URL;
  try {
    url = new URL(String(dest.URI));
  } catch {
    return invalid('destination URI is not a valid URI');
  }
  if (url.protocol !== 'http:' || !SANDBOX_HOSTS.has(url.hostname) || url.port === '') {
    return invalid('destination URI must be http://sandbox.localdomain:<port>/… (a listener in the execution environment)');
  }
  url.hostname = '127.0.0.1';
  if (!Array.isArray(req.types) || req.types.length === 0 || !req.types.every((t) => TYPES.includes(t as string))) {
    return invalid('types must be a non-empty array of "platform", "function", "extension"');
  }
  const buffering = {} as BufferingLimits;
  for (const key of Object.keys(BOUNDS) as (keyof BufferingLimits)[]) {
    const value = req.buffering?.[key] ?? BOUNDS[key].default;
    const { min, max } = BOUNDS[key];
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) return invalid(`buffering.${key} must be an integer from ${min} to ${max}`);
    buffering[key] = value as number;
  }
  return { url, types: new Set(req.types as TelemetryType[]), buffering };
}

interface Subscriber {
  extension: string;
  types: Set<TelemetryType>;
  batcher: TelemetryBatcher;
}

/** How batches reach listeners in the environment (postBatch() where its loopback is the host's). */
export interface TelemetryDelivery {
  post(url: URL, body: string): Promise<void>;
  /** An extension subscribed: batches will follow (what carries them may get ready meanwhile). */
  subscribed?(): void;
}

/** The telemetry of one environment with external extensions. */
export class TelemetryStream {
  readonly #delivery: TelemetryDelivery;
  readonly #subscribers = new Map<string, Subscriber>();
  /** Lines the extensions wrote that are still in the invocation's output: not `function` lines (counted: a line may repeat). */
  readonly #extensionLines = new Map<string, number>();
  /** Events since the environment started, until init is over (a subscriber during init gets them). */
  #early: TelemetryEvent[] | undefined = [];

  constructor(delivery: TelemetryDelivery = { post: postBatch }) {
    this.#delivery = delivery;
  }

  /** Whether emitting costs anything: someone subscribed, or init is not over. */
  get listening(): boolean {
    return this.#early !== undefined || this.#subscribers.size > 0;
  }

  /** Subscribes (or re-subscribes) extension `name`; answers as AWS does. */
  subscribe(name: string, sub: TelemetrySubscription): ExtensionAnswer {
    this.#subscribers.get(name)?.batcher.close();
    this.#delivery.subscribed?.();
    const batcher = new TelemetryBatcher(sub.buffering, (body) => this.#delivery.post(sub.url, body));
    const subscriber: Subscriber = { extension: name, types: sub.types, batcher };
    this.#subscribers.set(name, subscriber);
    for (const event of this.#early ?? []) if (sub.types.has(category(event.type))) batcher.add(event);
    this.emit('platform.telemetrySubscription', { name, state: 'Subscribed', types: [...sub.types] });
    return { status: 200, body: 'OK' };
  }

  /** `at`: when it happened (epoch ms), if not now. */
  emit(type: string, record: unknown, at = Date.now()): void {
    if (!this.listening) return;
    const event: TelemetryEvent = { time: new Date(at).toISOString(), type, record };
    this.#early?.push(event);
    const cat = category(type);
    for (const s of this.#subscribers.values()) if (s.types.has(cat)) s.batcher.add(event);
  }

  /** Lines an extension wrote, each an `extension` event now. */
  extensionLines(lines: readonly string[]): void {
    if (!this.listening) return;
    for (const line of lines) {
      this.#extensionLines.set(line, (this.#extensionLines.get(line) ?? 0) + 1);
      this.emit('extension', line);
    }
  }

  /** An invocation's output (init's too, on the first one): `function` events for the lines no extension wrote. */
  functionLines(lines: readonly string[]): void {
    const ext = this.#extensionLines;
    for (const line of lines) {
      const n = ext.get(line);
      if (n === undefined) this.emit('function', line);
      else if (n > 1) ext.set(line, n - 1);
      else ext.delete(line);
    }
    ext.clear();
  }

  /** Init is over: events before a subscription are no longer kept. */
  initOver(): void {
    this.#early = undefined;
  }

  /** Sends what every subscriber has buffered now (before SHUTDOWN, as AWS does). */
  flush(): void {
    for (const s of this.#subscribers.values()) s.batcher.flush();
  }

  close(): void {
    this.#early = undefined;
    for (const s of this.#subscribers.values()) s.batcher.close();
    this.#subscribers.clear();
  }
}

const category = (type: string): TelemetryType => (type.startsWith('platform.') ? 'platform' : type === 'extension' ? 'extension' : 'function');

/** POSTs one batch to a listener; failures are dropped (the listener is the extension's business). */
export function postBatch(url: URL, body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: POST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', () => resolve());
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve());
    req.end(body);
  });
}
