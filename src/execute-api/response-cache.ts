// The stage caches of REST APIs (API Gateway's "API cache"): method responses kept per stage for
// their TTL, least recently used first out when the stage's cache is full. A stage's capacity is
// its cacheClusterSize read as gigabytes of stored bodies and headers; a response over AWS's
// 1,048,576-byte limit is never kept. Changing the size recreates the cache empty, as AWS does.
// The caches live in this process: in a cluster each node keeps its own (FlushStageCache reaches
// every node), which means more integration calls than on AWS, never stale answers past the TTL.
import type { InvocationResponse } from './context.js';

/** The largest response AWS caches. */
export const MAX_CACHED_RESPONSE_BYTES = 1_048_576;
const GB = 1_000_000_000;

interface Entry {
  expires: number;
  bytes: number;
  response: Readonly<InvocationResponse>;
}

interface StageCache {
  /** The cacheClusterSize the cache was made with. */
  size: string;
  capacity: number;
  bytes: number;
  /** In recency order: the first entry is the least recently used. */
  entries: Map<string, Entry>;
}

export class ResponseCache {
  readonly #stages = new Map<string, StageCache>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A live entry (and it becomes the most recently used), or undefined. */
  get(apiId: string, stageName: string, size: string, key: string): InvocationResponse | undefined {
    const stage = this.#stage(apiId, stageName, size);
    const entry = stage.entries.get(key);
    if (!entry) return undefined;
    stage.entries.delete(key);
    if (entry.expires <= this.#now()) {
      stage.bytes -= entry.bytes;
      return undefined;
    }
    stage.entries.set(key, entry);
    return entry.response;
  }

  /** Keeps a response for ttlSeconds; false when it is too large to cache. */
  set(apiId: string, stageName: string, size: string, key: string, response: InvocationResponse, ttlSeconds: number): boolean {
    const bytes = responseBytes(response);
    if (ttlSeconds <= 0 || bytes > MAX_CACHED_RESPONSE_BYTES) return false;
    const stage = this.#stage(apiId, stageName, size);
    this.#drop(stage, key);
    const copy = { status: response.status, headers: structuredClone(response.headers), body: Buffer.from(response.body) };
    stage.entries.set(key, { expires: this.#now() + ttlSeconds * 1000, bytes, response: copy });
    stage.bytes += bytes;
    for (const oldest of stage.entries.keys()) {
      if (stage.bytes <= stage.capacity) break;
      this.#drop(stage, oldest);
    }
    return true;
  }

  /** Empties one stage's cache (FlushStageCache, or a disabled cache cluster). */
  flushStage(apiId: string, stageName: string): void {
    // Called on every request to a stage without a cache cluster: free while no stage caches.
    if (this.#stages.size) this.#stages.delete(stageKey(apiId, stageName));
  }

  /** Empties every stage's cache (a cluster node that may have missed flushes). */
  flushAll(): void {
    this.#stages.clear();
  }

  /** Entries and bytes of a stage's cache (tests, health). */
  stats(apiId: string, stageName: string): { entries: number; bytes: number } {
    const stage = this.#stages.get(stageKey(apiId, stageName));
    return { entries: stage?.entries.size ?? 0, bytes: stage?.bytes ?? 0 };
  }

  #stage(apiId: string, stageName: string, size: string): StageCache {
    const key = stageKey(apiId, stageName);
    let stage = this.#stages.get(key);
    if (!stage || stage.size !== size) {
      stage = { size, capacity: capacityOf(size), bytes: 0, entries: new Map() };
      this.#stages.set(key, stage);
    }
    return stage;
  }

  #drop(stage: StageCache, key: string): void {
    const entry = stage.entries.get(key);
    if (!entry) return;
    stage.entries.delete(key);
    stage.bytes -= entry.bytes;
  }
}

const stageKey = (apiId: string, stageName: string): string => `${apiId}/${stageName}`;

function capacityOf(size: string): number {
  const gb = Number(size);
  return Number.isFinite(gb) && gb > 0 ? gb * GB : 0.5 * GB;
}

/** What a response counts against the limits: its body and its headers' names and values. */
function responseBytes(response: InvocationResponse): number {
  let bytes = response.body.length;
  for (const [name, value] of Object.entries(response.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) bytes += name.length + v.length;
  }
  return bytes;
}
