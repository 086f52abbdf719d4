// The API Gateway aggregate store: REST APIs, their resource trees, methods (with integrations
// and responses), authorizers, deployments (immutable snapshots) and stages. One interface, implemented on
// SQLite (src/store/sqlite/apigateway-store.ts); every multi-row change is one transaction.
//
// REST API ids are unique across accounts and regions (the invoke host name carries no region),
// so child records are keyed by API id alone; callers check the API's account and region first.
import type {
  Authorizer, GatewayResponse, Method, MethodSetting, AccessLogSettings, CanarySettings, ApiStage, QuotaSettings, ThrottleSettings,
} from '../aws/generated/apigateway.js';

export interface ApiScope {
  accountId: string;
  region: string;
}

export type EndpointType = 'EDGE' | 'REGIONAL' | 'PRIVATE';
export type IpAddressType = 'ipv4' | 'dualstack';

export interface RestApiRecord extends ApiScope {
  id: string;
  name: string;
  /** Epoch milliseconds. */
  createdDate: number;
  rootResourceId: string;
  description?: string;
  version?: string;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  endpointConfiguration: { types: EndpointType[]; ipAddressType: IpAddressType; vpcEndpointIds?: string[] };
  policy?: string;
  disableExecuteApiEndpoint: boolean;
  tags: Record<string, string>;
}

export interface ResourceRecord {
  id: string;
  /** Absent for the root resource. */
  parentId?: string;
  /** Absent for the root resource. */
  pathPart?: string;
  /** Full path, e.g. "/pets/{petId}"; "/" for the root. */
  path: string;
}

/** A method as API Gateway returns it from GetMethod: request settings, integration, responses. */
export type MethodRecord = Method & { httpMethod: string };

/** A Lambda (TOKEN, REQUEST) or Cognito authorizer, as GetAuthorizer returns it. */
export type AuthorizerRecord = Authorizer & { id: string; name: string; type: NonNullable<Authorizer['type']> };

/** A customised gateway response (PutGatewayResponse) as stored and frozen into deployments. */
export interface GatewayResponseRecord {
  responseType: NonNullable<GatewayResponse['responseType']>;
  /** Absent: the type's default status (DEFAULT_4XX and DEFAULT_5XX have none). */
  statusCode?: string;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

/** A model (CreateModel): a JSON Schema draft 4 document, kept as the text the caller gave. */
export interface ModelRecord {
  id: string;
  name: string;
  description?: string;
  /** The schema text as given. */
  schema: string;
  contentType: string;
}

/** A request validator (CreateRequestValidator). */
export interface RequestValidatorRecord {
  id: string;
  name?: string;
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

/** What a new REST API is created with besides its resources (CreateRestApi's cloneFrom copies all of it). */
export interface RestApiContents {
  methods?: { resourceId: string; method: MethodRecord }[];
  authorizers?: AuthorizerRecord[];
  gatewayResponses?: GatewayResponseRecord[];
  models?: ModelRecord[];
  requestValidators?: RequestValidatorRecord[];
}

/** A resource and its methods, as frozen into a deployment. */
export interface SnapshotResource extends ResourceRecord {
  resourceMethods: Record<string, MethodRecord>;
}

/** API-level settings that a deployment freezes along with the resource tree. */
export interface SnapshotApiSettings {
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  disableExecuteApiEndpoint: boolean;
  policy?: string;
}

/** GetDeployment's apiSummary entry for one path: method → summary. */
export type MethodSnapshotMap = Record<string, { authorizationType?: string; apiKeyRequired?: boolean }>;

/** What a deployment serves: immutable once written. */
export interface DeploymentSnapshot {
  api: SnapshotApiSettings;
  /** Every resource of the API, sorted by path. */
  resources: SnapshotResource[];
  /** The API's authorizers by id (absent in snapshots taken before authorizers existed). */
  authorizers?: Record<string, AuthorizerRecord>;
  /** The API's customised gateway responses by type; absent when it has none. */
  gatewayResponses?: Record<string, GatewayResponseRecord>;
  /** The API's models by name (absent in snapshots taken before models existed). */
  models?: Record<string, ModelRecord>;
  /** The API's request validators by id; absent when it has none. */
  requestValidators?: Record<string, RequestValidatorRecord>;
}

export interface DeploymentSummary {
  id: string;
  description?: string;
  /** Epoch milliseconds. */
  createdDate: number;
}

export interface DeploymentRecord extends DeploymentSummary {
  snapshot: DeploymentSnapshot;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  clientCertificateId?: string;
  methodSettings: Record<string, MethodSetting>;
  variables?: Record<string, string>;
  documentationVersion?: string;
  accessLogSettings?: AccessLogSettings;
  canarySettings?: CanarySettings;
  tracingEnabled: boolean;
  tags?: Record<string, string>;
  /** Epoch milliseconds. */
  createdDate: number;
  /** Epoch milliseconds. */
  lastUpdatedDate: number;
}

/**
 * An API key. Keys and usage plans belong to the account and region, not to a REST API; a key's
 * value is unique within them (AWS: "API key values must be unique").
 */
export interface ApiKeyRecord extends ApiScope {
  id: string;
  value: string;
  name?: string;
  description?: string;
  customerId?: string;
  enabled: boolean;
  /** Epoch milliseconds. */
  createdDate: number;
  /** Epoch milliseconds. */
  lastUpdatedDate: number;
  /** Legacy stage keys, "{restApiId}/{stageName}". */
  stageKeys: string[];
  tags: Record<string, string>;
}

/** A usage plan: the API stages its keys may call, with throttle and quota settings. */
export interface UsagePlanRecord extends ApiScope {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  productCode?: string;
  tags: Record<string, string>;
  /** Epoch milliseconds (not shown by AWS; the quota's offset applies in the period it falls in). Absent on plans created before it was kept. */
  createdDate?: number;
}

/** Requests of one key counted on one UTC day under one usage plan (GetUsage lists these). */
export interface UsageDayRecord {
  keyId: string;
  /** yyyy-MM-dd, UTC. */
  day: string;
  used: number;
  /** The quota extension UpdateUsage gave (kept on the first day of the quota period it is for). */
  granted: number;
}

/** Requests to add to one key's count on one day. */
export interface UsageIncrement {
  planId: string;
  keyId: string;
  /** yyyy-MM-dd, UTC. */
  day: string;
  count: number;
}

/** A custom domain name (CreateDomainName), account- and region-scoped; its name is unique across them all, since requests find it by Host. */
export interface DomainNameRecord {
  domainName: string;
  accountId: string;
  region: string;
  /** Epoch milliseconds. */
  createdDate: number;
  /** Stored as given and never checked (certificates are not used). */
  certificateName?: string;
  certificateArn?: string;
  regionalCertificateName?: string;
  regionalCertificateArn?: string;
  endpointConfiguration: RestApiRecord['endpointConfiguration'];
  securityPolicy: string;
  /** The d-… / d….cloudfront.net host AWS would give it (the id part is drawn once). */
  generatedId: string;
  tags?: Record<string, string>;
}

/** A base path of a custom domain (CreateBasePathMapping); basePath '(none)' takes every path no other mapping does. */
export interface BasePathMappingRecord {
  basePath: string;
  /** The id HTTP APIs' API mapping calls name it by (ApiMappingId). */
  apiMappingId?: string;
  restApiId: string;
  /** Absent: the stage is the first path segment after the base path. */
  stage?: string;
}

/** The API Gateway account settings of one account and region (UpdateAccount). */
export interface ApiGatewayAccountRecord {
  /** The role API Gateway would write CloudWatch logs with; stored as given. */
  cloudwatchRoleArn?: string;
}

/** What replacing a base path mapping came to: done, no mapping at the old base path, or the new base path taken. */
export type MappingUpdate = 'updated' | 'missing' | 'taken';

/** Told after a committed change, so caches of stages and APIs can drop what they hold. */
export interface ApiGatewayChange {
  /** The REST API changed; '' for changes to API keys and usage plans (kind 'usage') and domain names (kind 'domain'), which span APIs. */
  apiId: string;
  /** 'all': anything may have changed (a cluster node missed other nodes' changes); drop everything. */
  kind: 'api' | 'stage' | 'deployment' | 'usage' | 'domain' | 'all';
  /** For stage changes: which stage. */
  stageName?: string;
  /** For domain changes: which domain name (it or its base path mappings changed). */
  domainName?: string;
}

export interface ApiGatewayStore {
  // REST APIs
  /**
   * Creates the API with its resources (the root first, parents before children) and any methods,
   * authorizers, gateway responses, models and request validators, in one transaction. False when
   * the id is taken (the caller draws another).
   */
  createRestApi(api: RestApiRecord, resources: ResourceRecord[], contents?: RestApiContents): Promise<boolean>;
  getRestApi(scope: ApiScope, id: string): Promise<RestApiRecord | undefined>;
  /** The API with this id in any account and region (for invoke host names, which carry no region). */
  findRestApi(id: string): Promise<RestApiRecord | undefined>;
  listRestApis(scope: ApiScope): Promise<RestApiRecord[]>;
  updateRestApi(api: RestApiRecord): Promise<void>;
  /** Deletes the API with everything under it (resources, methods, deployments, stages). */
  deleteRestApi(scope: ApiScope, id: string): Promise<boolean>;

  // Resources
  listResources(apiId: string): Promise<ResourceRecord[]>;
  getResource(apiId: string, id: string): Promise<ResourceRecord | undefined>;
  createResource(apiId: string, resource: ResourceRecord): Promise<void>;
  /** Re-parents and/or renames a resource, rewriting the paths of its whole subtree in one transaction. */
  moveResource(apiId: string, id: string, parentId: string, pathPart: string, path: string): Promise<void>;
  /** Deletes a resource, its descendants and all their methods. */
  deleteResource(apiId: string, id: string): Promise<boolean>;

  // Methods
  /** Methods of one resource, or of the whole API when resourceId is omitted. */
  listMethods(apiId: string, resourceId?: string): Promise<{ resourceId: string; method: MethodRecord }[]>;
  getMethod(apiId: string, resourceId: string, httpMethod: string): Promise<MethodRecord | undefined>;
  putMethod(apiId: string, resourceId: string, method: MethodRecord): Promise<void>;
  deleteMethod(apiId: string, resourceId: string, httpMethod: string): Promise<boolean>;

  // Authorizers
  /** The API's authorizers, oldest first. */
  listAuthorizers(apiId: string): Promise<AuthorizerRecord[]>;
  getAuthorizer(apiId: string, id: string): Promise<AuthorizerRecord | undefined>;
  /** Creates or replaces an authorizer. */
  putAuthorizer(apiId: string, authorizer: AuthorizerRecord): Promise<void>;
  deleteAuthorizer(apiId: string, id: string): Promise<boolean>;

  // Gateway responses (only the customised ones are stored)
  /** The API's customised gateway responses, by type name. */
  listGatewayResponses(apiId: string): Promise<GatewayResponseRecord[]>;
  getGatewayResponse(apiId: string, responseType: string): Promise<GatewayResponseRecord | undefined>;
  /** Creates or replaces the customisation of one type. */
  putGatewayResponse(apiId: string, response: GatewayResponseRecord): Promise<void>;
  deleteGatewayResponse(apiId: string, responseType: string): Promise<boolean>;

  // Models (by name) and request validators (by id)
  /** The API's models, by name (AWS's order for GetModels). */
  listModels(apiId: string): Promise<ModelRecord[]>;
  getModel(apiId: string, name: string): Promise<ModelRecord | undefined>;
  /** Creates a model; false when the API already has one with that name. */
  createModel(apiId: string, model: ModelRecord): Promise<boolean>;
  updateModel(apiId: string, model: ModelRecord): Promise<void>;
  deleteModel(apiId: string, name: string): Promise<boolean>;
  /** The API's request validators, oldest first. */
  listRequestValidators(apiId: string): Promise<RequestValidatorRecord[]>;
  getRequestValidator(apiId: string, id: string): Promise<RequestValidatorRecord | undefined>;
  /** Creates or replaces a request validator. */
  putRequestValidator(apiId: string, validator: RequestValidatorRecord): Promise<void>;
  deleteRequestValidator(apiId: string, id: string): Promise<boolean>;

  // Deployments
  /** Writes the deployment and, when given, creates or replaces a stage, in one transaction. */
  createDeployment(apiId: string, deployment: DeploymentRecord, stage?: StageRecord): Promise<void>;
  getDeployment(apiId: string, id: string): Promise<DeploymentRecord | undefined>;
  listDeployments(apiId: string): Promise<DeploymentSummary[]>;
  updateDeploymentDescription(apiId: string, id: string, description: string | undefined): Promise<void>;
  deleteDeployment(apiId: string, id: string): Promise<boolean>;

  // Stages
  getStage(apiId: string, stageName: string): Promise<StageRecord | undefined>;
  listStages(apiId: string): Promise<StageRecord[]>;
  /** Inserts a new stage; false when one with that name exists. */
  createStage(apiId: string, stage: StageRecord): Promise<boolean>;
  updateStage(apiId: string, stage: StageRecord): Promise<void>;
  deleteStage(apiId: string, stageName: string): Promise<boolean>;

  // API keys, usage plans and their keys (account- and region-scoped)
  /** Inserts a key; false when its id or value is taken. */
  createApiKey(key: ApiKeyRecord): Promise<boolean>;
  getApiKey(scope: ApiScope, id: string): Promise<ApiKeyRecord | undefined>;
  /** The key with this value (the data plane's lookup). */
  findApiKeyByValue(scope: ApiScope, value: string): Promise<ApiKeyRecord | undefined>;
  /** Newest first, as AWS lists them. */
  listApiKeys(scope: ApiScope): Promise<ApiKeyRecord[]>;
  updateApiKey(key: ApiKeyRecord): Promise<void>;
  /** Deletes the key and removes it from every usage plan. */
  deleteApiKey(scope: ApiScope, id: string): Promise<boolean>;
  createUsagePlan(plan: UsagePlanRecord): Promise<boolean>;
  getUsagePlan(scope: ApiScope, id: string): Promise<UsagePlanRecord | undefined>;
  /** Oldest first; with keyId, only the plans that key belongs to. */
  listUsagePlans(scope: ApiScope, keyId?: string): Promise<UsagePlanRecord[]>;
  updateUsagePlan(plan: UsagePlanRecord): Promise<void>;
  deleteUsagePlan(scope: ApiScope, id: string): Promise<boolean>;
  /** Adds a key to a plan; false when it is already there. */
  addUsagePlanKey(planId: string, keyId: string): Promise<boolean>;
  removeUsagePlanKey(planId: string, keyId: string): Promise<boolean>;
  /** The plan's keys, most recently added first. */
  listUsagePlanKeys(planId: string): Promise<ApiKeyRecord[]>;

  // Usage counts (quotas and GetUsage), per plan, key and day; not announced through onChange
  /**
   * Adds the counts in one transaction, each as `used = used + count` so that nodes sharing the
   * database add up. Counts for a plan that no longer exists are dropped.
   */
  addUsage(increments: UsageIncrement[]): Promise<void>;
  /** The plan's counted days from `fromDay` to `toDay` inclusive (yyyy-MM-dd), by key then day; only `keyId`'s when given. */
  listUsage(planId: string, fromDay: string, toDay: string, keyId?: string): Promise<UsageDayRecord[]>;
  /** Sets the quota extension of a key on a day (the first day of a quota period). */
  setUsageGrant(planId: string, keyId: string, day: string, granted: number): Promise<void>;

  // Custom domain names and their base path mappings (announced as kind 'domain')
  /** Inserts a domain name; false when the name is taken (in any account or region). */
  createDomainName(domain: DomainNameRecord): Promise<boolean>;
  getDomainName(scope: ApiScope, name: string): Promise<DomainNameRecord | undefined>;
  /** The domain with this name in any account and region (requests find it by Host). */
  findDomainName(name: string): Promise<DomainNameRecord | undefined>;
  /** Oldest first. */
  listDomainNames(scope: ApiScope): Promise<DomainNameRecord[]>;
  /** Every domain name in every account and region (the data plane's list of hosts to claim). */
  listAllDomainNames(): Promise<string[]>;
  /** Deletes the domain with its base path mappings. */
  deleteDomainName(scope: ApiScope, name: string): Promise<boolean>;
  /** Inserts a mapping; false when the domain already has this base path. */
  createBasePathMapping(domainName: string, mapping: BasePathMappingRecord): Promise<boolean>;
  /** The domain's mappings, by base path. */
  listBasePathMappings(domainName: string): Promise<BasePathMappingRecord[]>;
  deleteBasePathMapping(domainName: string, basePath: string): Promise<boolean>;
  /** Replaces the domain's settings (its name, account and region stay); false when there is no such domain. */
  updateDomainName(domain: DomainNameRecord): Promise<boolean>;
  /** Replaces the mapping at `basePath` with `mapping`, whose base path may differ (it must then be free). */
  updateBasePathMapping(domainName: string, basePath: string, mapping: BasePathMappingRecord): Promise<MappingUpdate>;

  // Account settings (GetAccount / UpdateAccount), per account and region; not announced
  getAccountSettings(scope: ApiScope): Promise<ApiGatewayAccountRecord | undefined>;
  putAccountSettings(scope: ApiScope, settings: ApiGatewayAccountRecord): Promise<void>;

  /** Subscribes to committed changes; returns the unsubscribe function. */
  onChange(listener: (change: ApiGatewayChange) => void): () => void;
}
