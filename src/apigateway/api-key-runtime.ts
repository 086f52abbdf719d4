// The data plane's API-key check: is this value an enabled key of a usage plan that lists this
// API stage? Asked only by methods with apiKeyRequired. Answers are cached per account, region
// and value, and the whole cache is dropped on any committed change to keys, plans or their
// memberships — writes there are rare, and AWS applies them without a redeploy, so must we. A
// generation counter keeps a lookup that raced with such a change from being cached.
import type { ApiGatewayChange, ApiGatewayStore, ApiScope } from '../store/apigateway-store.js';
import { BoundedMap } from './stage-runtime.js';

/** The key a request was admitted with ($context.identity.apiKey / apiKeyId). */
export interface AdmittedKey {
  id: string;
  value: string;
}

/** What one key value may call: its enabled state and the "apiId/stage" pairs of its plans. */
interface KeyGrant {
  key: AdmittedKey;
  enabled: boolean;
  stages: ReadonlySet<string>;
}

const MAX_VALUES = 4096;

export class ApiKeyRuntime {
  readonly #store: ApiGatewayStore;
  readonly #grants = new BoundedMap<{ value: KeyGrant | null }>(MAX_VALUES);
  readonly #unsubscribe: () => void;
  #generation = 0;

  constructor(store: ApiGatewayStore) {
    this.#store = store;
    this.#unsubscribe = store.onChange((change: ApiGatewayChange) => {
      if (change.kind !== 'usage') return;
      this.#generation++;
      this.#grants.deleteWhere(() => true);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The key when `value` may call this stage, else undefined (AWS answers 403 Forbidden either way). */
  async admit(scope: ApiScope, apiId: string, stageName: string, value: string): Promise<AdmittedKey | undefined> {
    const cacheKey = `${scope.accountId}/${scope.region}\u0000${value}`;
    let entry = this.#grants.get(cacheKey);
    if (!entry) {
      const generation = this.#generation;
      entry = { value: await this.#load(scope, value) };
      if (generation === this.#generation) this.#grants.set(cacheKey, entry);
    }
    const grant = entry.value;
    return grant?.enabled && grant.stages.has(`${apiId}/${stageName}`) ? grant.key : undefined;
  }

  async #load(scope: ApiScope, value: string): Promise<KeyGrant | null> {
    const key = await this.#store.findApiKeyByValue(scope, value);
    if (!key) return null;
    const stages = new Set<string>();
    for (const plan of await this.#store.listUsagePlans(scope, key.id)) {
      for (const s of plan.apiStages) stages.add(`${s.apiId}/${s.stage}`);
    }
    return { key: { id: key.id, value: key.value }, enabled: key.enabled, stages };
  }
}
