// The read side the data plane uses for HTTP and WebSocket APIs: which execute-api ids are theirs (one Set
// lookup, so REST API requests pay nothing more), and what an API's stages serve. An API's record
// and stages are cached until the store reports a change to that API (from this node, or in a
// cluster from another through the change feed); a deployment's compiled routes are cached by its
// id, since deployments never change. A load that raced with a change is not cached.
import type { HttpApiRecord, HttpApiStore, HttpAuthorizerRecord, HttpModelRecord, HttpStageRecord, IntegrationRecord, IntegrationResponseRecord, RouteRecord, RouteResponseRecord } from '../store/httpapi-store.js';
import { BoundedMap } from '../apigateway/stage-runtime.js';
import { HttpApiRouter } from './router.js';

export interface ServedDeployment {
  deploymentId: string;
  /** HTTP APIs: the compiled routes. */
  router?: HttpApiRouter;
  /** WebSocket APIs: the routes by key, and which have a route response (two-way routes) by route id. */
  routesByKey: ReadonlyMap<string, RouteRecord>;
  routeResponses: ReadonlyMap<string, RouteResponseRecord>;
  integrations: ReadonlyMap<string, IntegrationRecord>;
  /** WebSocket APIs: each integration's responses by integration id (non-proxy integrations map their answers through them). */
  integrationResponses: ReadonlyMap<string, readonly IntegrationResponseRecord[]>;
  authorizers: ReadonlyMap<string, HttpAuthorizerRecord>;
  /** WebSocket APIs: the models routes validate messages against. */
  models: readonly HttpModelRecord[];
}

export interface ServedApi {
  api: HttpApiRecord;
  stages: ReadonlyMap<string, HttpStageRecord>;
}

const MAX_APIS = 4096;
const MAX_DEPLOYMENTS = 512;

export class HttpApiRuntime {
  readonly #store: HttpApiStore;
  readonly #ids = new Set<string>();
  readonly #apis = new BoundedMap<{ value: ServedApi | null }>(MAX_APIS);
  readonly #deployments = new BoundedMap<ServedDeployment>(MAX_DEPLOYMENTS);
  readonly #generations = new Map<string, number>();
  #epoch = 0;
  readonly #unsubscribe: () => void;

  private constructor(store: HttpApiStore) {
    this.#store = store;
    this.#unsubscribe = store.onChange((apiId) => this.#changed(apiId));
  }

  /** Loads the ids of every HTTP API before the first request is served. */
  static async start(store: HttpApiStore): Promise<HttpApiRuntime> {
    const runtime = new HttpApiRuntime(store);
    await runtime.#reloadIds();
    return runtime;
  }

  close(): void {
    this.#unsubscribe();
  }

  /** True when the id is (or was, since this node started) an HTTP API's. */
  serves(apiId: string): boolean {
    return this.#ids.has(apiId);
  }

  /** The API with its stages, or undefined when there is none. */
  async api(apiId: string): Promise<ServedApi | undefined> {
    let entry = this.#apis.get(apiId);
    if (!entry) {
      const generation = this.#generation(apiId);
      entry = { value: await this.#load(apiId) };
      if (this.#generation(apiId) === generation) this.#apis.set(apiId, entry);
    }
    return entry.value ?? undefined;
  }

  /** A deployment's compiled routes, and its integrations and authorizers by id, or undefined when it is gone. */
  async deployment(api: HttpApiRecord, deploymentId: string): Promise<ServedDeployment | undefined> {
    const apiId = api.apiId;
    const key = `${apiId}/${deploymentId}`;
    const cached = this.#deployments.get(key);
    if (cached) return cached;
    const record = await this.#store.getItem(apiId, 'deployment', deploymentId);
    if (!record) return undefined;
    const served: ServedDeployment = {
      deploymentId,
      ...(api.protocolType === 'HTTP' ? { router: new HttpApiRouter(record.snapshot.routes) } : {}),
      routesByKey: new Map(api.protocolType === 'WEBSOCKET' ? record.snapshot.routes.map((r) => [r.routeKey, r]) : []),
      routeResponses: new Map((record.snapshot.routeResponses ?? []).map((r) => [r.routeId, r])),
      integrations: new Map(record.snapshot.integrations.map((i) => [i.integrationId, i])),
      integrationResponses: byIntegration(record.snapshot.integrationResponses ?? []),
      authorizers: new Map((record.snapshot.authorizers ?? []).map((a) => [a.authorizerId, a])),
      models: record.snapshot.models ?? [],
    };
    this.#deployments.set(key, served);
    return served;
  }

  async #load(apiId: string): Promise<ServedApi | null> {
    const api = await this.#store.findApi(apiId);
    if (!api) return null;
    const stages = await this.#store.listItems(apiId, 'stage');
    return { api, stages: new Map(stages.map((s) => [s.stageName, s])) };
  }

  #generation(apiId: string): string {
    return `${this.#epoch}.${this.#generations.get(apiId) ?? 0}`;
  }

  #changed(apiId: string): void {
    if (apiId === '') {
      // Anything may have changed (a cluster node missed messages): forget everything, relearn the ids.
      this.#epoch++;
      this.#generations.clear();
      this.#apis.deleteWhere(() => true);
      void this.#reloadIds();
      return;
    }
    this.#ids.add(apiId);
    this.#generations.set(apiId, (this.#generations.get(apiId) ?? 0) + 1);
    this.#apis.delete(apiId);
  }

  async #reloadIds(): Promise<void> {
    for (const id of await this.#store.listApiIds()) this.#ids.add(id);
  }
}

function byIntegration(responses: IntegrationResponseRecord[]): Map<string, IntegrationResponseRecord[]> {
  const out = new Map<string, IntegrationResponseRecord[]>();
  for (const r of responses) {
    const list = out.get(r.integrationId);
    if (list) list.push(r);
    else out.set(r.integrationId, [r]);
  }
  return out;
}
