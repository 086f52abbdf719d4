// Read-through cache of what the invoke path needs (function, version, alias, policy), so a warm
// invoke touches no storage. Every Lambda write invalidates its function's entries; in a cluster,
// writes made on other nodes arrive through the change feed (the PostgreSQL Lambda store sends one
// message per committed write to a function, topic 'lambda').
import type { AliasConfiguration } from '../aws/generated/lambda.js';
import type { FunctionKey, FunctionRecord, LambdaStore, PolicyRecord, StoredConfig } from '../store/lambda-store.js';
import type { ChangeFeed } from '../store/change-feed.js';

interface Entry {
  fn?: Promise<FunctionRecord | undefined>;
  versions: Map<string, Promise<StoredConfig | undefined>>;
  aliases: Map<string, Promise<AliasConfiguration | undefined>>;
  policies: Map<string, Promise<PolicyRecord | undefined>>;
}

const keyOf = (k: FunctionKey) => `${k.accountId}\u0000${k.region}\u0000${k.name}`;

export class FunctionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners: ((key: FunctionKey) => void)[] = [];

  constructor(private readonly store: LambdaStore, private readonly maxFunctions = 10_000, feed?: ChangeFeed) {
    feed?.subscribe('lambda', (key) => this.invalidate(key as FunctionKey), () => this.#entries.clear());
  }

  #entry(key: FunctionKey): Entry {
    const k = keyOf(key);
    let e = this.#entries.get(k);
    if (!e) {
      if (this.#entries.size >= this.maxFunctions) this.#entries.delete(this.#entries.keys().next().value!);
      e = { versions: new Map(), aliases: new Map(), policies: new Map() };
      this.#entries.set(k, e);
    }
    return e;
  }

  getFunction(key: FunctionKey): Promise<FunctionRecord | undefined> {
    const e = this.#entry(key);
    if (e.fn) return e.fn;
    const p = this.store.getFunction(key);
    e.fn = p;
    // A failed read (the database unreachable for a moment) is not kept: the next call reads again.
    p.catch(() => {
      if (e.fn === p) e.fn = undefined;
    });
    return p;
  }

  getVersion(key: FunctionKey, version: string): Promise<StoredConfig | undefined> {
    return cached(this.#entry(key).versions, version, () => this.store.getVersion(key, version));
  }

  getAlias(key: FunctionKey, alias: string): Promise<AliasConfiguration | undefined> {
    return cached(this.#entry(key).aliases, alias, () => this.store.getAlias(key, alias));
  }

  getPolicy(key: FunctionKey, qualifier: string): Promise<PolicyRecord | undefined> {
    return cached(this.#entry(key).policies, qualifier, () => this.store.getPolicy(key, qualifier));
  }

  /** Forget everything about a function (call after every write to it). */
  invalidate(key: FunctionKey): void {
    this.#entries.delete(keyOf(key));
    for (const l of this.#listeners) l(key);
  }

  /** Notified after each invalidation (e.g. to evict warm environments of changed code). */
  onInvalidate(listener: (key: FunctionKey) => void): void {
    this.#listeners.push(listener);
  }
}

/** The read under `name`, started when missing; a read that fails is dropped so the next call tries again. */
function cached<T>(reads: Map<string, Promise<T>>, name: string, read: () => Promise<T>): Promise<T> {
  let p = reads.get(name);
  if (p) return p;
  const started = read();
  reads.set(name, (p = started));
  started.catch(() => {
    if (reads.get(name) === started) reads.delete(name);
  });
  return p;
}
