// The execute-api handler chain: one InvocationContext passed through small steps, in order.
//
//   parse (request.ts) → resolve API and stage → route → stage/method throttle (method-throttle.ts) → method authorization
//     → resource policy (resource-policy.ts) → Lambda authorizer (authorizer.ts) → API key → request validation (request-validation.ts)
//     → stage cache (cache-step.ts) → integration request + integration (integrations/*) → integration response
//
// A step either fills in its part of the context or throws a GatewayError, which the front
// turns into AWS's gateway response. Where any request goes next is this file.
import type { ApiRequestMetrics } from '../metrics/metrics.js';
import type { ApiGatewayMetricsRecorder } from '../cloudwatch/apigateway-metrics.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import { credentialScope } from '../aws/sigv4-scope.js';
import type { StageRuntime } from '../apigateway/stage-runtime.js';
import type { ApiKeyRuntime } from '../apigateway/api-key-runtime.js';
import type { UsageMeter } from './usage-meter.js';
import type { MethodThrottle } from './method-throttle.js';
import type { InvocationContext, InvocationRequest, InvocationResponse } from './context.js';
import { header } from './context.js';
import { GatewayError, configurationError, forbidden, missingAuthenticationToken } from './errors.js';
import { checkRequestParameterTargets } from './integration-request.js';
import { matchRoute, routeTableFor } from './router.js';
import { invokeAwsProxy } from './integrations/aws-proxy.js';
import type { ExecutionLogs } from './execution-log.js';
import { invokeAws } from './integrations/aws.js';
import { invokeHttp, invokeHttpProxy } from './integrations/http.js';
import { invokeMock } from './integrations/mock.js';
import { isPrivate, throughVpcLink, type VpcLinkLookup } from './integrations/vpc-link.js';
import { authorize, type AuthorizerDeps } from './authorizer.js';
import { cognitoAuthorize, type CognitoDeps } from './cognito-authorizer.js';
import { enforceResourcePolicy } from './resource-policy.js';
import { validateRequest } from './request-validation.js';
import type { ResponseCache } from './response-cache.js';
import { withResponseCache } from './cache-step.js';

export interface ChainDeps extends AuthorizerDeps {
  stages: StageRuntime;
  /** Which API keys may call which stages; without it, any x-api-key value is accepted. */
  apiKeys?: ApiKeyRuntime;
  /** Usage-plan throttles and quotas of admitted keys; without it, none are enforced. */
  usageMeter?: UsageMeter;
  /** The stage's method settings' throttles; without it, none are enforced. */
  throttle?: MethodThrottle;
  /** Request counts and latencies per stage for /_stagecraft/metrics. */
  metrics?: ApiRequestMetrics;
  /** AWS/ApiGateway metrics for CloudWatch. */
  cloudWatch?: ApiGatewayMetricsRecorder;
  /** Checks AWS_IAM methods' signatures; without it, any signature is accepted. */
  verifier?: SigV4Verifier;
  /** Canary traffic split; replaceable in tests. */
  random?: () => number;
  /** Stages' execution logs; without it, none are written. */
  executionLogs?: ExecutionLogs;
  /** Stage caches (AWS's API cache); without it, nothing is cached. */
  responseCache?: ResponseCache;
  /** User pools' signing keys for COGNITO_USER_POOLS methods; without it, such methods answer 500. */
  cognito?: CognitoDeps;
  /** VPC links, which private integrations' links must name; without it, any link is taken to exist. */
  vpcLinks?: VpcLinkLookup;
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Step 2 — resolve: the API (by id, in whichever account and region holds it) and what the stage serves now. */
export async function resolveStage(ctx: InvocationContext, deps: ChainDeps): Promise<void> {
  if (!STAGE_NAME.test(ctx.stageName)) throw forbidden(`No stage '${ctx.stageName}'`);
  const api = await deps.stages.findApi(ctx.apiId);
  if (!api) throw forbidden(`No REST API '${ctx.apiId}'`);
  const resolved = await deps.stages.resolveStage(api.accountId, api.region, ctx.apiId, ctx.stageName);
  if (!resolved) throw forbidden(`No stage '${ctx.stageName}' on REST API '${ctx.apiId}'`);
  // A custom domain (the request has a requestPath) still serves an API whose execute-api endpoint is disabled, as on AWS.
  if (resolved.api.disableExecuteApiEndpoint && ctx.request?.requestPath === undefined) throw forbidden('The default execute-api endpoint is disabled');
  ctx.resolved = resolved;
  const vars = resolved.stage.variables;
  const canary = resolved.canary;
  if (canary && canary.percentTraffic > 0 && (deps.random ?? Math.random)() * 100 < canary.percentTraffic) {
    ctx.resolved = { ...resolved, deployment: canary.deployment };
    ctx.canary = true;
    const merged = { ...vars, ...canary.stageVariableOverrides };
    ctx.stageVariables = Object.keys(merged).length ? merged : null;
  } else {
    ctx.stageVariables = hasKeys(vars) ? vars : null;
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Step 3 — route: the deployed resource and method; nothing matching is "Missing Authentication Token". */
export function route(ctx: InvocationContext): void {
  const table = routeTableFor(ctx.resolved!.deployment.snapshot);
  const match = matchRoute(table, ctx.request.method, ctx.request.path);
  if (!match) throw missingAuthenticationToken();
  ctx.resource = match.resource;
  ctx.method = match.method;
  ctx.pathParameters = match.pathParameters;
  ctx.integration = match.method.methodIntegration;
}

/**
 * Step 4 — method authorization. NONE passes; AWS_IAM needs a SigV4 signature (its absence is
 * AWS's 403 Missing Authentication Token; verifySignature checks it when the server has
 * credentials); CUSTOM is the Lambda
 * authorizer's step (authorizer.ts); Cognito authorizers are not supported yet (500, logged).
 */
export function methodAuthorization(ctx: InvocationContext): void {
  const type = (ctx.method!.authorizationType ?? 'NONE').toUpperCase();
  if (type === 'AWS_IAM') {
    if (!isSigV4Signed(ctx.request)) throw missingAuthenticationToken();
  } else if (type !== 'NONE' && type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS') {
    throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', `Authorization type ${type} is not supported by Stagecraft yet`);
  }
}

/** Whether the request carries a SigV4 signature: an `AWS4-HMAC-SHA256` Authorization header or a presigned `X-Amz-Signature` query. */
export function isSigV4Signed(request: InvocationRequest): boolean {
  if (request.query?.['X-Amz-Signature'] !== undefined) return true;
  return header(request, 'authorization')?.startsWith('AWS4-HMAC-SHA256 ') ?? false;
}

/**
 * Step 4b — an AWS_IAM method's signature, when the server verifies signatures: made with a
 * configured key over this request, scoped to service execute-api. Any configured key may call any such
 * method: there are no IAM policies to consult.
 */
export async function verifySignature(ctx: Pick<InvocationContext, 'request'>, verifier: SigV4Verifier): Promise<void> {
  const r = ctx.request;
  const headers: Record<string, string> = {};
  for (const [lower, cased] of r.headerNames) headers[lower] = (r.multiHeaders[cased] ?? [r.headers[cased]]).join(',');
  // A decompressed body is checked as it was sent (compression.ts).
  if (r.received) Object.assign(headers, r.received.headers);
  const signed = { method: r.method, rawUrl: r.rawUrl, headers, body: r.received?.body ?? r.body };
  // Without an Authorization header, a presigned query (X-Amz-Signature) carries the signature.
  const presigned = headers.authorization === undefined && r.query?.['X-Amz-Signature'] !== undefined;
  const outcome = presigned ? await verifier.verifyPresigned(signed) : await verifier.verify(signed);
  if (!('kind' in outcome)) {
    // A signature made for another service verifies cryptographically, but AWS refuses its scope.
    const service = credentialScope(presigned ? {} : headers, new URLSearchParams(presigned ? r.rawQuery : ''))?.service;
    if (service === 'execute-api') return;
    throw new GatewayError('INVALID_SIGNATURE', `Signature scoped to service ${service}`, { message: "Credential should be scoped to correct service: 'execute-api'. " });
  }
  if (outcome.kind === 'missing') throw missingAuthenticationToken();
  throw new GatewayError('INVALID_SIGNATURE', `Signature check failed (${outcome.kind})`, {
    message: outcome.message,
    errorType: outcome.kind === 'unknown-key' ? 'UnrecognizedClientException' : outcome.kind === 'incomplete' ? 'IncompleteSignatureException' : undefined,
  });
}

/** The caller an AWS_IAM method or route admitted: the signature's access key, in the API owner's account (keys here belong to no account). */
export function iamCallerOf(ctx: Pick<InvocationContext, 'request'> & { resolved?: { api: { accountId: string } } }): NonNullable<InvocationContext['iamCaller']> {
  const scope = credentialScope({ authorization: header(ctx.request, 'authorization') }, new URLSearchParams(ctx.request.rawQuery));
  return { accessKey: scope?.accessKeyId ?? null, accountId: ctx.resolved!.api.accountId };
}

/** The key a request presents: x-api-key, or the authorizer's usageIdentifierKey when the API's apiKeySource is AUTHORIZER. */
function presentedKey(ctx: InvocationContext): string | undefined {
  return ctx.resolved!.api.apiKeySource === 'AUTHORIZER' ? ctx.authorizer?.usageIdentifierKey : header(ctx.request, 'x-api-key');
}

/** Without a key, a method that requires one is AWS's 403 Forbidden. */
function requirePresentedKey(ctx: InvocationContext): string {
  const value = presentedKey(ctx);
  if (!value) throw new GatewayError('INVALID_API_KEY', 'Forbidden: the method requires an API key and none was given');
  return value;
}

/**
 * Step 4c — API key, for methods with apiKeyRequired: after authorization, as on AWS (an
 * authorizer may supply the key). The key must be enabled and belong to a usage plan that lists
 * this API stage; anything else is the same 403 Forbidden, as on AWS. Then the plan's throttle
 * and quota (429).
 */
export async function apiKey(ctx: InvocationContext, deps: ChainDeps): Promise<void> {
  const value = requirePresentedKey(ctx);
  if (!deps.apiKeys) return;
  const api = ctx.resolved!.api;
  const admitted = await deps.apiKeys.admit(api, ctx.apiId, ctx.stageName, value);
  if (!admitted) throw new GatewayError('INVALID_API_KEY', 'Forbidden: the API key is unknown, disabled, or not in a usage plan of this stage');
  await deps.usageMeter?.charge(admitted.plan, admitted.key.id, `${ctx.resource!.path}/${ctx.method!.httpMethod}`);
  ctx.apiKey = admitted.key;
}

/**
 * Step 4 without the Lambda authorizer: what TestInvokeMethod checks (AWS's test invoke skips
 * authorizers; of the API key it checks only that one was given).
 */
export function methodRequest(ctx: InvocationContext): void {
  methodAuthorization(ctx);
  if (ctx.method!.apiKeyRequired && ctx.resolved!.api.apiKeySource === 'HEADER') requirePresentedKey(ctx);
}

/** Step 5–7 — integration request, integration and integration response, by integration type. */
export function integrate(ctx: InvocationContext, deps: ChainDeps): Promise<InvocationResponse> | InvocationResponse {
  const integration = ctx.integration;
  if (!integration) throw configurationError('No integration defined for method');
  checkRequestParameterTargets(ctx);
  switch (integration.type) {
    case 'AWS_PROXY':
      return invokeAwsProxy(ctx, deps);
    case 'AWS':
      return invokeAws(ctx, deps);
    case 'HTTP':
      return isPrivate(ctx) ? throughVpcLink(ctx, deps.vpcLinks, 'rest', invokeHttp) : invokeHttp(ctx);
    case 'HTTP_PROXY':
      return isPrivate(ctx) ? throughVpcLink(ctx, deps.vpcLinks, 'rest', invokeHttpProxy) : invokeHttpProxy(ctx);
    case 'MOCK':
      return invokeMock(ctx);
    default:
      throw configurationError(`Unsupported integration type ${String(integration.type)}`);
  }
}

/** Runs every step after parsing; the response, or a GatewayError thrown. */
export async function runChain(ctx: InvocationContext, deps: ChainDeps): Promise<InvocationResponse> {
  await resolveStage(ctx, deps);
  route(ctx);
  deps.executionLogs?.open(ctx);
  deps.throttle?.admit(ctx.resolved!.stage.methodSettings, ctx.resource!, ctx.method!);
  methodAuthorization(ctx);
  if (ctx.method!.authorizationType === 'AWS_IAM') {
    if (deps.verifier) await verifySignature(ctx, deps.verifier);
    ctx.iamCaller = iamCallerOf(ctx);
  }
  // Only APIs whose deployment has a resource policy pay for it (resource-policy.ts): before a
  // Lambda authorizer runs, after a Cognito token is accepted.
  const resourcePolicy = ctx.resolved!.deployment.snapshot.api.policy;
  const cognito = ctx.method!.authorizationType === 'COGNITO_USER_POOLS';
  if (resourcePolicy !== undefined && !cognito) enforceResourcePolicy(ctx, resourcePolicy);
  // Only CUSTOM methods pay for the extra await.
  if (ctx.method!.authorizationType === 'CUSTOM') await authorize(ctx, deps);
  else if (cognito) await cognitoAuthorize(ctx, deps.cognito);
  if (resourcePolicy !== undefined && cognito) enforceResourcePolicy(ctx, resourcePolicy);
  // Only methods that require a key pay for its lookup.
  if (ctx.method!.apiKeyRequired) await apiKey(ctx, deps);
  // Only methods with a request validator are validated (after authorization and the key, as on AWS).
  if (ctx.method!.requestValidatorId) validateRequest(ctx);
  // Only stages with a cache cluster pay for the cache, which answers (after authorization, keys
  // and validation) in place of the integration; a stage without one has lost any it had.
  if (ctx.resolved!.stage.cacheClusterEnabled && deps.responseCache) {
    return withResponseCache(ctx, deps.responseCache, () => integrateStage(ctx, deps), deps.metrics);
  }
  deps.responseCache?.flushStage(ctx.apiId, ctx.stageName);
  return integrateStage(ctx, deps);
}

/** The integration; only stages with access logging pay for timing it. */
function integrateStage(ctx: InvocationContext, deps: ChainDeps): Promise<InvocationResponse> | InvocationResponse {
  return ctx.resolved!.stage.accessLogSettings ? timedIntegrate(ctx, deps) : integrate(ctx, deps);
}

/**
 * The integration with $context.integrationLatency and integrationStatus measured: the status is
 * what the backend answered — Lambda's own 200 for Lambda integrations (not the function's
 * statusCode), the HTTP backend's status for HTTP_PROXY; absent for others and on failure.
 */
async function timedIntegrate(ctx: InvocationContext, deps: ChainDeps): Promise<InvocationResponse> {
  const started = Date.now();
  try {
    const response = await integrate(ctx, deps);
    const type = ctx.integration?.type;
    if (type === 'AWS_PROXY' || type === 'AWS') ctx.integrationStatus = 200;
    else if (type === 'HTTP_PROXY') ctx.integrationStatus = response.status;
    return response;
  } finally {
    ctx.integrationLatency = Date.now() - started;
  }
}
