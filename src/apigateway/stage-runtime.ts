// The read side the execute-api data plane uses on every request: which API an id names, and what
// a stage serves right now (its live settings and variables, and the frozen deployment snapshot).
//
// Deployments are immutable, so a parsed, deep-frozen snapshot is cached by deployment id and its
// object identity stays the same for as long as it is cached (a WeakMap keyed by the snapshot is a
// safe place for compiled route tables). Stage resolutions are cached too and dropped whenever the
// store reports a change to that API's stages or settings. A load that raced with such a change is
// not cached: each API has a generation number, bumped after every committed change, and a result
// is only remembered if the generation it was read under is still current.
import type {
  ApiGatewayChange, ApiGatewayStore, DeploymentRecord, DeploymentSnapshot, EndpointType, RestApiRecord, StageRecord,
} from '../store/apigateway-store.js';
import type { AccessLogSettings, CanarySettings, MethodSetting } from '../aws/generated/apigateway.js';
import { deepFreeze } from './snapshot.js';
import type { ClientCertificateRecord, ClientCertificateStore } from '../store/client-certificate-store.js';

export type { DeploymentSnapshot, SnapshotResource, MethodRecord } from '../store/apigateway-store.js';

/** Where an API lives (the invoke host name carries only its id). */
export interface ApiLocation {
  id: string;
  name: string;
  accountId: string;
  region: string;
}

/** The API as a stage serves it: identity, plus the API-level settings frozen by the deployment. */
export interface RuntimeApi extends ApiLocation {
  rootResourceId: string;
  endpointType: EndpointType;
  binaryMediaTypes: readonly string[];
  minimumCompressionSize?: number;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  disableExecuteApiEndpoint: boolean;
  policy?: string;
}

/** A stage's live settings: variables take effect as soon as UpdateStage commits. */
export interface RuntimeStage {
  name: string;
  deploymentId: string;
  description?: string;
  variables: Readonly<Record<string, string>>;
  methodSettings: Readonly<Record<string, MethodSetting>>;
  tracingEnabled: boolean;
  cacheClusterEnabled: boolean;
  /** The cache cluster's size in GB ("0.5" … "237"), when one was ever chosen. */
  cacheClusterSize?: string;
  accessLogSettings?: Readonly<AccessLogSettings>;
  canarySettings?: Readonly<CanarySettings>;
  tags: Readonly<Record<string, string>>;
  /** The client certificate HTTP integrations present to backends (UpdateStage's clientCertificateId), when it exists. */
  clientCertificate?: Readonly<StageClientCertificate>;
}

/** A stage's client certificate with its private key, for the TLS handshake with HTTP backends. */
export interface StageClientCertificate {
  /** "{accountId}/{region}/{clientCertificateId}": the same certificate, and key, for as long as it exists. */
  key: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** What a stage keeps of a client certificate. */
export const toStageClientCertificate = (c: ClientCertificateRecord): StageClientCertificate =>
  ({ key: `${c.accountId}/${c.region}/${c.id}`, certificatePem: c.pemEncodedCertificate, privateKeyPem: c.privateKeyPem });

export interface RuntimeDeployment {
  id: string;
  description?: string;
  /** Epoch milliseconds. */
  createdDate: number;
  /** Frozen; the same object for a deployment id while cached. */
  snapshot: DeploymentSnapshot;
}

export interface ResolvedStage {
  api: Readonly<RuntimeApi>;
  stage: Readonly<RuntimeStage>;
  deployment: Readonly<RuntimeDeployment>;
  /** The canary release, when the stage has one whose deployment exists. */
  canary?: Readonly<{ deployment: RuntimeDeployment; percentTraffic: number; stageVariableOverrides: Readonly<Record<string, string>>; useStageCache: boolean }>;
}

const MAX_STAGES = 4096;
const MAX_DEPLOYMENTS = 512;

/** A Map that forgets its oldest entries beyond a size (insertion order; hits are re-inserted). */
export class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.limit) this.#map.delete(this.#map.keys().next().value!);
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.#map.keys()]) if (test(key)) this.#map.delete(key);
  }
}

const stageKey = (apiId: string, stageName: string) => `${apiId}/${stageName}`;

export class StageRuntime {
  readonly #store: ApiGatewayStore;
  readonly #generations = new Map<string, number>();
  #epoch = 0;
  readonly #stages = new BoundedMap<{ value: ResolvedStage | null }>(MAX_STAGES);
  readonly #deployments = new BoundedMap<RuntimeDeployment>(MAX_DEPLOYMENTS);
  readonly #apis = new BoundedMap<{ value: RestApiRecord | null }>(MAX_STAGES);
  readonly #unsubscribe: () => void;
  readonly #certificates: Pick<ClientCertificateStore, 'getClientCertificate'> | undefined;

  constructor(store: ApiGatewayStore, certificates?: Pick<ClientCertificateStore, 'getClientCertificate'>) {
    this.#store = store;
    this.#certificates = certificates;
    this.#unsubscribe = store.onChange((change) => this.#changed(change));
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The API with this id in whichever account and region holds it. */
  async findApi(apiId: string): Promise<ApiLocation | undefined> {
    const api = await this.#api(apiId);
    return api ? { id: api.id, name: api.name, accountId: api.accountId, region: api.region } : undefined;
  }

  /** What a stage serves now, or undefined when the API (in that account and region) or the stage does not exist. */
  async resolveStage(accountId: string, region: string, apiId: string, stageName: string): Promise<ResolvedStage | undefined> {
    const key = stageKey(apiId, stageName);
    let entry = this.#stages.get(key);
    if (!entry) {
      const generation = this.#generation(apiId);
      entry = { value: await this.#loadStage(apiId, stageName) };
      if (this.#generation(apiId) === generation) this.#stages.set(key, entry);
    }
    const resolved = entry.value;
    if (!resolved || resolved.api.accountId !== accountId || resolved.api.region !== region) return undefined;
    return resolved;
  }

  /** Grows with every change to the API and with every change to all APIs (both counters only grow). */
  #generation(apiId: string): number {
    return this.#epoch + (this.#generations.get(apiId) ?? 0);
  }

  #changed(change: ApiGatewayChange): void {
    // API keys and usage plans are ApiKeyRuntime's (api-key-runtime.ts), domain names DomainRuntime's; stages do not depend on them.
    if (change.kind === 'usage' || change.kind === 'domain') return;
    if (change.kind === 'all') {
      this.#epoch++;
      this.#stages.deleteWhere(() => true);
      this.#apis.deleteWhere(() => true);
      return;
    }
    this.#generations.set(change.apiId, this.#generation(change.apiId) + 1);
    const prefix = `${change.apiId}/`;
    if (change.kind === 'stage' && change.stageName !== undefined) {
      this.#stages.deleteWhere((k) => k === stageKey(change.apiId, change.stageName!));
    } else {
      this.#stages.deleteWhere((k) => k.startsWith(prefix));
    }
    // Cached deployments stay: they never change, and a deleted API's ones are no longer reachable.
    if (change.kind === 'api') this.#apis.deleteWhere((k) => k === change.apiId);
  }

  async #api(apiId: string): Promise<RestApiRecord | undefined> {
    let entry = this.#apis.get(apiId);
    if (!entry) {
      const generation = this.#generation(apiId);
      entry = { value: (await this.#store.findRestApi(apiId)) ?? null };
      if (this.#generation(apiId) === generation) this.#apis.set(apiId, entry);
    }
    return entry.value ?? undefined;
  }

  async #deployment(apiId: string, deploymentId: string): Promise<RuntimeDeployment | undefined> {
    const key = `${apiId}/${deploymentId}`;
    const cached = this.#deployments.get(key);
    if (cached) return cached;
    const record = await this.#store.getDeployment(apiId, deploymentId);
    if (!record) return undefined;
    // Snapshots never change, so whichever concurrent load lands first is kept for everyone.
    const again = this.#deployments.get(key);
    if (again) return again;
    const deployment = deepFreeze(toRuntimeDeployment(record));
    this.#deployments.set(key, deployment);
    return deployment;
  }

  async #loadStage(apiId: string, stageName: string): Promise<ResolvedStage | null> {
    const [api, stage] = await Promise.all([this.#api(apiId), this.#store.getStage(apiId, stageName)]);
    if (!api || !stage) return null;
    const deployment = await this.#deployment(apiId, stage.deploymentId);
    if (!deployment) return null;
    const runtimeStage = toRuntimeStage(stage);
    // Certificates never change, so the stage keeps its copy until the stage itself changes.
    const certificate = stage.clientCertificateId ? await this.#certificates?.getClientCertificate(api, stage.clientCertificateId) : undefined;
    if (certificate) runtimeStage.clientCertificate = toStageClientCertificate(certificate);
    const resolved: ResolvedStage = { api: toRuntimeApi(api, deployment.snapshot), stage: runtimeStage, deployment };
    const canary = stage.canarySettings;
    if (canary?.deploymentId) {
      const canaryDeployment = await this.#deployment(apiId, canary.deploymentId);
      if (canaryDeployment) {
        resolved.canary = {
          deployment: canaryDeployment,
          percentTraffic: canary.percentTraffic ?? 0,
          stageVariableOverrides: { ...canary.stageVariableOverrides },
          useStageCache: canary.useStageCache ?? false,
        };
      }
    }
    return deepFreeze(resolved);
  }
}

function toRuntimeDeployment(record: DeploymentRecord): RuntimeDeployment {
  const d: RuntimeDeployment = { id: record.id, createdDate: record.createdDate, snapshot: record.snapshot };
  if (record.description !== undefined) d.description = record.description;
  return d;
}

function toRuntimeApi(api: RestApiRecord, snapshot: DeploymentSnapshot): RuntimeApi {
  const runtime: RuntimeApi = {
    id: api.id,
    name: api.name,
    accountId: api.accountId,
    region: api.region,
    rootResourceId: api.rootResourceId,
    endpointType: api.endpointConfiguration.types[0],
    binaryMediaTypes: snapshot.api.binaryMediaTypes,
    apiKeySource: snapshot.api.apiKeySource,
    disableExecuteApiEndpoint: snapshot.api.disableExecuteApiEndpoint,
  };
  if (snapshot.api.minimumCompressionSize !== undefined) runtime.minimumCompressionSize = snapshot.api.minimumCompressionSize;
  if (snapshot.api.policy !== undefined) runtime.policy = snapshot.api.policy;
  return runtime;
}

function toRuntimeStage(stage: StageRecord): RuntimeStage {
  const runtime: RuntimeStage = {
    name: stage.stageName,
    deploymentId: stage.deploymentId,
    variables: { ...stage.variables },
    methodSettings: stage.methodSettings,
    tracingEnabled: stage.tracingEnabled,
    cacheClusterEnabled: stage.cacheClusterEnabled,
    tags: { ...stage.tags },
  };
  if (stage.description !== undefined) runtime.description = stage.description;
  if (stage.cacheClusterSize !== undefined) runtime.cacheClusterSize = stage.cacheClusterSize;
  if (stage.accessLogSettings) runtime.accessLogSettings = stage.accessLogSettings;
  if (stage.canarySettings) runtime.canarySettings = stage.canarySettings;
  return runtime;
}
