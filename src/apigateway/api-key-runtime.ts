// The data plane's API-key check: is this value an enabled key of a usage plan that lists this
// API stage? Asked only by methods with apiKeyRequired. Answers are cached per account, region
// and value, and the whole cache is dropped on any committed change to keys, plans or their
// memberships — writes there are rare, and AWS applies them without a redeploy, so must we. A
// generation counter keeps a lookup that raced with such a change from being cached.
import type { ApiGatewayChange, ApiGatewayStore, ApiScope } from '../store/apigateway-store.js';
import type { QuotaSettings, ThrottleSettings } from '../aws/generated/apigateway.js';
import { BoundedMap } from './stage-runtime.js';

/** The key a request was admitted with ($context.identity.apiKey / apiKeyId). */
export interface AdmittedKey {
  id: string;
  value: string;
}

/** The usage plan through which a key reaches a stage (a key reaches a stage through one plan at most). */
export interface PlanLimits {
  planId: string;
  throttle?: Readonly<ThrottleSettings>;
  quota?: Readonly<QuotaSettings>;
  /** When the plan was created (epoch ms): its quota's offset applies in that period. */
  createdDate?: number;
  /** The stage's per-method throttles in the plan, by "/{resourcePath}/{httpMethod}" (apiStages[].throttle). */
  methodThrottles?: Readonly<Record<string, Readonly<ThrottleSettings>>>;
}

export interface Admission {
  key: AdmittedKey;
  plan: PlanLimits;
}

/** What one key value may call: its enabled state and, by "apiId/stage", the plan that lists the stage. */
interface KeyGrant {
  key: AdmittedKey;
  enabled: boolean;
  stages: ReadonlyMap<string, PlanLimits>;
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
      if (change.kind !== 'usage' && change.kind !== 'all') return;
      this.#generation++;
      this.#grants.deleteWhere(() => true);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The key and its plan when `value` may call this stage, else undefined (AWS answers 403 Forbidden either way). */
  async admit(scope: ApiScope, apiId: string, stageName: string, value: string): Promise<Admission | undefined> {
    const cacheKey = `${scope.accountId}/${scope.region}\u0000${value}`;
    let entry = this.#grants.get(cacheKey);
    if (!entry) {
      const generation = this.#generation;
      entry = { value: await this.#load(scope, value) };
      if (generation === this.#generation) this.#grants.set(cacheKey, entry);
    }
    const grant = entry.value;
    const plan = grant?.enabled ? grant.stages.get(`${apiId}/${stageName}`) : undefined;
    return plan && { key: grant!.key, plan };
  }

  async #load(scope: ApiScope, value: string): Promise<KeyGrant | null> {
    const key = await this.#store.findApiKeyByValue(scope, value);
    if (!key) return null;
    const stages = new Map<string, PlanLimits>();
    for (const plan of await this.#store.listUsagePlans(scope, key.id)) {
      const limits: PlanLimits = { planId: plan.id };
      if (plan.throttle) limits.throttle = plan.throttle;
      if (plan.quota) limits.quota = plan.quota;
      if (plan.createdDate !== undefined) limits.createdDate = plan.createdDate;
      for (const s of plan.apiStages) stages.set(`${s.apiId}/${s.stage}`, s.throttle && Object.keys(s.throttle).length ? { ...limits, methodThrottles: s.throttle } : limits);
    }
    return { key: { id: key.id, value: key.value }, enabled: key.enabled, stages };
  }
}
