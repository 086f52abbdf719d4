// The read side of custom domain names for the data plane: which Host names are domain names (one
// Set lookup, so requests to other hosts pay nothing more), and each domain's base path mappings
// (ready for longest-prefix routing, src/execute-api/domain-target.ts).
// A domain's mappings are cached until the store reports a change to that domain (from this node,
// or in a cluster from another through the change feed). A load that raced with a change is not cached.
import type { ApiGatewayChange, ApiGatewayStore } from '../store/apigateway-store.js';
import { BoundedMap } from './stage-runtime.js';
import { domainRoutes, type DomainRoutes } from '../execute-api/domain-target.js';

const MAX_DOMAINS = 4096;

/** The base path of the mapping that takes the paths no other mapping of the domain does. */
export const NO_BASE_PATH = '(none)';

/** A Host header's name: lower case, without its port. */
export function hostName(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}

export class DomainRuntime {
  readonly #store: ApiGatewayStore;
  readonly #names = new Set<string>();
  readonly #mappings = new BoundedMap<{ value: DomainRoutes | null }>(MAX_DOMAINS);
  readonly #generations = new Map<string, number>();
  #epoch = 0;
  readonly #unsubscribe: () => void;

  private constructor(store: ApiGatewayStore) {
    this.#store = store;
    this.#unsubscribe = store.onChange((change) => this.#changed(change));
  }

  /** Loads every domain name before the first request is served. */
  static async start(store: ApiGatewayStore): Promise<DomainRuntime> {
    const runtime = new DomainRuntime(store);
    await runtime.#reloadNames();
    return runtime;
  }

  close(): void {
    this.#unsubscribe();
  }

  /** True when the Host names a domain (or one that was, since this node started). */
  serves(host: string | undefined): boolean {
    return host !== undefined && this.#names.size > 0 && this.#names.has(hostName(host));
  }

  /** The domain's mappings ('(none)' included), or undefined when there is no such domain. */
  async mappings(host: string): Promise<DomainRoutes | undefined> {
    const name = hostName(host);
    let entry = this.#mappings.get(name);
    if (!entry) {
      const generation = this.#generation(name);
      entry = { value: await this.#load(name) };
      if (this.#generation(name) === generation) this.#mappings.set(name, entry);
    }
    return entry.value ?? undefined;
  }

  async #load(name: string): Promise<DomainRoutes | null> {
    if (!(await this.#store.findDomainName(name))) return null;
    return domainRoutes(await this.#store.listBasePathMappings(name));
  }

  #generation(name: string): string {
    return `${this.#epoch}.${this.#generations.get(name) ?? 0}`;
  }

  #changed(change: ApiGatewayChange): void {
    if (change.kind === 'all') {
      this.#epoch++;
      this.#generations.clear();
      this.#mappings.deleteWhere(() => true);
      void this.#reloadNames();
      return;
    }
    if (change.kind !== 'domain' || change.domainName === undefined) return;
    this.#names.add(change.domainName);
    this.#generations.set(change.domainName, (this.#generations.get(change.domainName) ?? 0) + 1);
    this.#mappings.delete(change.domainName);
  }

  async #reloadNames(): Promise<void> {
    for (const name of await this.#store.listAllDomainNames()) this.#names.add(name);
  }
}
