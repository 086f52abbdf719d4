// The API Gateway v2 aggregate store (HTTP and WebSocket APIs): APIs and what each owns — routes, route responses, integrations,
// authorizers, stages and deployments (immutable snapshots of routes, integrations and authorizers). One interface,
// implemented on SQLite and PostgreSQL; every multi-row change is one transaction.
//
// HTTP API ids share the execute-api host names with REST API ids, so they are unique across
// accounts and regions, and child records are keyed by API id alone.
import type { ApiScope } from './apigateway-store.js';
import type { Cors } from '../aws/generated/apigatewayv2.js';

export interface HttpApiRecord extends ApiScope {
  apiId: string;
  name: string;
  /** HTTP APIs route requests; WEBSOCKET APIs route the messages of WebSocket connections. */
  protocolType: 'HTTP' | 'WEBSOCKET';
  /** Epoch milliseconds. */
  createdDate: number;
  description?: string;
  version?: string;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  disableExecuteApiEndpoint: boolean;
  ipAddressType: 'ipv4' | 'dualstack';
  tags: Record<string, string>;
  /** WEBSOCKET: stored as given (request models are not validated by Stagecraft). */
  disableSchemaValidation?: boolean;
  /** CORS as API Gateway applies it: preflights answered, headers added to every answer. */
  corsConfiguration?: Cors;
}

export interface RouteRecord {
  routeId: string;
  /**
   * HTTP: `$default`, or `METHOD /path` with `{name}` and a final `{name+}`; METHOD may be ANY.
   * WEBSOCKET: `$connect`, `$disconnect`, `$default`, or a key the route selection expression yields.
   */
  routeKey: string;
  /** `integrations/{integrationId}` */
  target?: string;
  authorizationType: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';
  apiKeyRequired: boolean;
  operationName?: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  /** Made by quick create (CreateApi with a target). */
  apiGatewayManaged?: boolean;
  /** WEBSOCKET: `$default` makes the route two-way (the integration's answer goes back to the client). */
  routeResponseSelectionExpression?: string;
  /** WEBSOCKET: picks the key of `requestModels` a message is validated against (without it, `$default`). */
  modelSelectionExpression?: string;
  /** WEBSOCKET: model selection key → the name of one of the API's models. */
  requestModels?: Record<string, string>;
  /** WEBSOCKET ($connect): `route.request.header.{name}` or `route.request.querystring.{name}` → whether the handshake must carry it. */
  requestParameters?: Record<string, { required: boolean }>;
}

/** WEBSOCKET: a stage's or route's execution logging (the log group `API-Gateway-Execution-Logs_{apiId}/{stageName}`). */
export interface ExecutionLogSettings {
  loggingLevel?: 'INFO' | 'ERROR' | 'OFF';
  dataTraceEnabled?: boolean;
}

/** WEBSOCKET: a JSON Schema (draft 4) that routes' `requestModels` name. */
export interface HttpModelRecord {
  modelId: string;
  name: string;
  schema: string;
  contentType?: string;
  description?: string;
}

/** WEBSOCKET: a route's response; with the route's selection expression `$default`, the key `$default`. */
export interface RouteResponseRecord {
  routeResponseId: string;
  routeId: string;
  routeResponseKey: string;
  modelSelectionExpression?: string;
  responseModels?: Record<string, string>;
}

export interface IntegrationRecord {
  integrationId: string;
  /** HTTP APIs: AWS_PROXY or HTTP_PROXY; WEBSOCKET: any of them (AWS: a Lambda function, not proxied). */
  integrationType: 'AWS_PROXY' | 'HTTP_PROXY' | 'AWS' | 'HTTP' | 'MOCK';
  /** A Lambda function ARN (or its API Gateway invocation URI), or a URL for HTTP_PROXY and HTTP; none for MOCK. */
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutInMillis: number;
  /** VPC_LINK: a private integration through the VPC link `connectionId` (its URI is called directly). */
  connectionType: 'INTERNET' | 'VPC_LINK';
  connectionId?: string;
  tlsConfig?: { serverNameToVerify?: string };
  description?: string;
  credentialsArn?: string;
  /** HTTP: parameter mappings (append|overwrite|remove:header.x, …:querystring.x, overwrite:path). */
  requestParameters?: Record<string, string>;
  /** HTTP: response mappings by the integration's status code. */
  responseParameters?: Record<string, Record<string, string>>;
  apiGatewayManaged?: boolean;
  /** WEBSOCKET: AWS reports WHEN_NO_MATCH for Lambda proxy integrations. */
  passthroughBehavior?: 'WHEN_NO_MATCH' | 'NEVER' | 'WHEN_NO_TEMPLATES';
  /** WEBSOCKET, non-proxy: mapping templates keyed by what the template selection expression yields (`$default`: the catch-all). */
  requestTemplates?: Record<string, string>;
  templateSelectionExpression?: string;
  contentHandlingStrategy?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';
}

/** WEBSOCKET: how an integration's answer is mapped; the key is `$default` or a `/regex/` matched against the status (or a Lambda errorMessage). */
export interface IntegrationResponseRecord {
  integrationResponseId: string;
  integrationId: string;
  integrationResponseKey: string;
  responseTemplates?: Record<string, string>;
  templateSelectionExpression?: string;
  responseParameters?: Record<string, string>;
  contentHandlingStrategy?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';
}

export interface HttpStageRecord {
  stageName: string;
  /** Absent until the stage is deployed. */
  deploymentId?: string;
  autoDeploy: boolean;
  stageVariables: Record<string, string>;
  description?: string;
  createdDate: number;
  lastUpdatedDate: number;
  lastDeploymentStatusMessage?: string;
  defaultRouteSettings: { detailedMetricsEnabled: boolean; throttlingBurstLimit?: number; throttlingRateLimit?: number } & ExecutionLogSettings;
  routeSettings: Record<string, { detailedMetricsEnabled?: boolean; throttlingBurstLimit?: number; throttlingRateLimit?: number } & ExecutionLogSettings>;
  tags: Record<string, string>;
  apiGatewayManaged?: boolean;
  /** Where and how each request through the stage is logged (a CloudWatch Logs log group). */
  accessLogSettings?: { destinationArn: string; format: string };
}

export interface HttpAuthorizerRecord {
  authorizerId: string;
  name: string;
  /** JWT: API Gateway validates JSON Web Tokens; REQUEST: a Lambda function decides. */
  authorizerType: 'JWT' | 'REQUEST';
  /** Selection expressions, e.g. `$request.header.Authorization` (empty: a REQUEST authorizer without caching). */
  identitySource: string[];
  jwtConfiguration?: { audience: string[]; issuer?: string };
  /** REQUEST: the Lambda function (an ARN or API Gateway's invocation URI for one). */
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: '1.0' | '2.0';
  enableSimpleResponses?: boolean;
  /** REQUEST: seconds a result is cached per identity (0: not cached). */
  authorizerResultTtlInSeconds?: number;
  authorizerCredentialsArn?: string;
}

/** What a deployment serves: the routes, integrations and authorizers at the time it was made, never modified. */
export interface HttpDeploymentSnapshot {
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  /** Absent in deployments made before HTTP API authorizers existed. */
  authorizers?: HttpAuthorizerRecord[];
  /** WEBSOCKET: the routes' responses (absent when there are none). */
  routeResponses?: RouteResponseRecord[];
  /** WEBSOCKET: the integrations' responses (absent when there are none). */
  integrationResponses?: IntegrationResponseRecord[];
  /** WEBSOCKET: the API's models (absent when there are none). */
  models?: HttpModelRecord[];
}

export interface HttpDeploymentRecord {
  deploymentId: string;
  createdDate: number;
  description?: string;
  autoDeployed: boolean;
  snapshot: HttpDeploymentSnapshot;
}

/** The records an HTTP API owns, by kind. */
export interface HttpApiItems {
  route: RouteRecord;
  integration: IntegrationRecord;
  stage: HttpStageRecord;
  deployment: HttpDeploymentRecord;
  authorizer: HttpAuthorizerRecord;
  routeResponse: RouteResponseRecord;
  integrationResponse: IntegrationResponseRecord;
  model: HttpModelRecord;
}

export type HttpApiItemKind = keyof HttpApiItems;

/** One record to write (insert, or replace keeping its place in creation order). */
export type HttpApiItemPut = { [K in HttpApiItemKind]: { kind: K; id: string; value: HttpApiItems[K] } }[HttpApiItemKind];

export interface HttpApiItemRef {
  kind: HttpApiItemKind;
  id: string;
}

export interface HttpApiStore {
  /** False when the id is taken. */
  createApi(api: HttpApiRecord, items: HttpApiItemPut[]): Promise<boolean>;
  getApi(scope: ApiScope, apiId: string): Promise<HttpApiRecord | undefined>;
  /** An API by id in any account and region (the data plane's lookup). */
  findApi(apiId: string): Promise<HttpApiRecord | undefined>;
  /** Oldest first. */
  listApis(scope: ApiScope): Promise<HttpApiRecord[]>;
  /** Every HTTP API id (the data plane tells HTTP APIs from REST APIs by it). */
  listApiIds(): Promise<string[]>;
  updateApi(api: HttpApiRecord): Promise<void>;
  /** Removes the API and all it owns; false when there was none. */
  deleteApi(scope: ApiScope, apiId: string): Promise<boolean>;
  getItem<K extends HttpApiItemKind>(apiId: string, kind: K, id: string): Promise<HttpApiItems[K] | undefined>;
  /** In creation order. */
  listItems<K extends HttpApiItemKind>(apiId: string, kind: K): Promise<HttpApiItems[K][]>;
  /** Writes and deletes records of one API in one transaction, with the API's own record when `api` is given (ReimportApi). */
  writeItems(apiId: string, puts: HttpApiItemPut[], deletes?: HttpApiItemRef[], api?: HttpApiRecord): Promise<void>;
  /** Called with the API id after each committed change (here or, in a cluster, on another node); '' when anything may have changed. */
  onChange(listener: (apiId: string) => void): () => void;
}
