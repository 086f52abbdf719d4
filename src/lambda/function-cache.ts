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
    return (e.fn ??= this.store.getFunction(key));
  }

  getVersion(key: FunctionKey, version: string): Promise<StoredConfig | undefined> {
    const e = this.#entry(key);
    let p = e.versions.get(version);
    if (!p) e.versions.set(version, (p = this.store.getVersion(key, version)));
    return p;
  }

  getAlias(key: FunctionKey, alias: string): Promise<AliasConfiguration | undefined> {
    const e = this.#entry(key);
    let p = e.aliases.get(alias);
    if (!p) e.aliases.set(alias, (p = this.store.getAlias(key, alias)));
    return p;
  }

  getPolicy(key: FunctionKey, qualifier: string): Promise<PolicyRecord | undefined> {
    const e = this.#entry(key);
    let p = e.policies.get(qualifier);
    if (!p) e.policies.set(qualifier, (p = this.store.getPolicy(key, qualifier)));
    return p;
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
