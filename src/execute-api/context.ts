// The one typed context an API invocation carries through the handler chain (see chain.ts):
// each step reads what earlier steps filled in and adds its own part. Nothing here is shared
// between requests except the frozen deployment snapshot and stage the context points at.
import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Integration } from '../aws/generated/apigateway.js';
import type { MethodRecord, ResolvedStage, SnapshotResource } from '../apigateway/stage-runtime.js';
import type { AdmittedKey } from '../apigateway/api-key-runtime.js';
import type { GatewayError } from './errors.js';

/** The client's request as API Gateway sees it, before any mapping. */
export interface InvocationRequest {
  method: string;
  /** The request target as received (what a SigV4 signature covers). */
  rawUrl: string;
  /** Path after the stage, exactly as sent (not decoded), starting with '/', e.g. "//a/b%2Fc/". */
  rawPath: string;
  /** rawPath with leading slashes collapsed to one: what `path` in a proxy event shows. */
  path: string;
  /** Raw query string without '?' ('' when none). */
  rawQuery: string;
  /** Last value per name, decoded; null when the request had none (as the proxy event shows it). */
  query: Record<string, string> | null;
  multiQuery: Record<string, string[]> | null;
  /** Header names in the client's casing; the last value wins in `headers`. */
  headers: Record<string, string>;
  multiHeaders: Record<string, string[]>;
  /** Lower-cased header name → the casing used in `headers`. */
  headerNames: Map<string, string>;
  body: Buffer;
  sourceIp: string;
  userAgent: string;
  /** e.g. HTTP/1.1 */
  protocol: string;
  /** On a custom domain: the path as called, base path included (requestContext.path; otherwise `/{stage}{rawPath}`). */
  requestPath?: string;
  /**
   * Set when the body arrived content-coded and was decoded (compression.ts): the body and the headers
   * decoding changed (lower-cased names), as sent — what a SigV4 signature covers.
   */
  received?: { body: Buffer; headers: Record<string, string> };
  /** Host header as sent (domainName in the request context). */
  host: string;
  /** The host's first label: the API id for {apiId}.execute-api.* hosts. */
  domainPrefix: string;
}

/** What the client gets back. Headers keep their casing; a value may repeat (array). */
export interface InvocationResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /**
   * The body as it comes, for integrations whose response transfer mode is STREAM: sent after the
   * head, chunked; an error on it cuts the answer short. `body` is then empty.
   */
  stream?: Readable;
}

/** The per-invocation overrides a mapping template may set ($context.requestOverride / responseOverride). */
export interface ContextOverrides {
  requestOverride: { header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string> };
  responseOverride: { header: Record<string, string>; status?: number | string };
}

export interface InvocationContext {
  /** $context.requestId and x-amzn-RequestId. */
  requestId: string;
  /** $context.extendedRequestId and x-amz-apigw-id. */
  extendedRequestId: string;
  /** X-Amzn-Trace-Id (Root=1-…), reusing the client's root when it sent one. */
  traceId: string;
  /** Epoch ms when the request arrived. */
  startedAt: number;
  apiId: string;
  stageName: string;
  request: InvocationRequest;
  /** Set by the resolve step. */
  resolved?: ResolvedStage;
  /** Set by the resolve step when the request took the stage's canary release. */
  canary?: boolean;
  /** Live stage variables (null when the stage has none, as the proxy event shows it). */
  stageVariables: Readonly<Record<string, string>> | null;
  /** Set by the route step. */
  resource?: SnapshotResource;
  method?: MethodRecord;
  pathParameters: Record<string, string> | null;
  integration?: Integration;
  /** Set by the authorizer step when a Lambda authorizer admitted the request ($context.authorizer). */
  authorizer?: AdmittedCaller;
  /** The API's resource policy's decision, when its deployment has one and it did not refuse the request (resource-policy.ts). */
  resourcePolicy?: import('./iam-policy.js').PolicyDecision;
  /** Set when an AWS_IAM method or route admitted a signed request: the caller ($context.identity.accessKey, accountId). */
  iamCaller?: { accessKey: string | null; accountId: string };
  /** An HTTP API's $context.authorizer in access logs: what the route's authorizer said of the caller, or its error. */
  httpAuthorizer?: Record<string, unknown>;
  /** Set by the API-key step when the method required a key ($context.identity.apiKey / apiKeyId). */
  apiKey?: AdmittedKey;
  /** An HTTP API's `overwrite:path` mapping: the path an HTTP_PROXY endpoint receives in place of its URI's. */
  integrationPath?: string;
  /** Overrides set by mapping templates. */
  overrides?: ContextOverrides;
  /** Set by the integration step (and by gateway errors). */
  response?: InvocationResponse;
  /** The gateway error the request was answered with ($context.error.* in access logs). */
  error?: GatewayError;
  /** Milliseconds the integration took, and what it answered (measured only for stages with access logging). */
  integrationLatency?: number;
  integrationStatus?: number;
  /** The request's execution log: TestInvokeMethod's, or the stage's execution logging (set only when one is on). */
  log?: ExecutionLog;
  /** An HTTP API's route key ($context.routeKey in its access logs). */
  routeKey?: string;
  /** The request object, when the invocation came over HTTP (absent for TestInvokeMethod). */
  raw?: IncomingMessage;
}

/** Where the steps of a request are written as API Gateway's execution log describes them. */
export interface ExecutionLog {
  /**
   * One step. `data` lines carry headers and bodies (kept only when the stage logs full request and
   * response data); `error` lines are what an ERROR-level log keeps.
   */
  add(text: string, kind?: 'info' | 'data' | 'error'): void;
}

/** What the method's authorizer (Lambda or Cognito user pool) says about the caller it admitted. */
export interface AdmittedCaller {
  principalId?: string;
  /** The authorizer's `context`, values as strings (or null). */
  context: Readonly<Record<string, string | null>>;
  /** Milliseconds the authorizer call took (0 when its result came from the cache). */
  integrationLatency: number;
  /** The API key the authorizer named (used when the API's apiKeySource is AUTHORIZER). */
  usageIdentifierKey?: string;
  /** A Cognito user pool authorizer's token claims ($context.authorizer.claims), instead of a principal and context. */
  claims?: Readonly<Record<string, string>>;
}

export function newOverrides(): ContextOverrides {
  return { requestOverride: { header: {}, path: {}, querystring: {} }, responseOverride: { header: {} } };
}

/** A request header by case-insensitive name. */
export function header(request: InvocationRequest, name: string): string | undefined {
  const key = request.headerNames.get(name.toLowerCase());
  return key === undefined ? undefined : request.headers[key];
}
