// Lambda (REQUEST) authorizers of HTTP APIs, as AWS documents them:
//
//   every identity source present and non-empty? else 401 without calling the function
//   → the cached verdict for this identity (TTL above 0), or the function called as API Gateway
//     (source ARN …/authorizers/{id}) with the payload format 1.0 or 2.0 event
//   → a simple response {isAuthorized, context} (2.0 with enableSimpleResponses), or an IAM policy
//     evaluated against the route ARN; not allowed is 403
//   → the context (and principalId) handed to the integration.
//
// The call, its permission check and its failures (a function failing with "Unauthorized" is a 401,
// anything else a 500) are the REST API authorizers'; so are identity lookups and the cache.
import type { HttpAuthorizerRecord } from '../../store/httpapi-store.js';
import type { InvocationContext } from '../context.js';
import { identityValue, invokeAuthorizerFunction, methodArn, parseAuthorizerOutput } from '../authorizer.js';
import { AuthorizerCache } from '../authorizer-cache.js';
import { accessDenied, authorizerConfigurationError, unauthorized } from '../errors.js';
import { evaluatePolicy, parsePolicyDocument, type PolicyStatement } from '../iam-policy.js';
import type { LambdaCallDeps } from '../integrations/lambda.js';
import type { HttpApiCall, HttpAuthorization } from './invocation.js';
import { authorizerEventV1, authorizerEventV2 } from './events.js';

/** What an HTTP API's Lambda authorizer answered, parsed: kept per identity for the authorizer's TTL. */
export interface LambdaVerdict {
  /** A simple response's decision. */
  isAuthorized?: boolean;
  /** An IAM policy response's statements, evaluated per request against its route ARN. */
  statements?: readonly PolicyStatement[];
  principalId?: string;
  context: Record<string, unknown> | null;
}

export interface LambdaAuthorizerDeps extends LambdaCallDeps {
  /** Verdicts by stage and identity; without one, every request calls the authorizer. */
  httpAuthorizerCache?: AuthorizerCache<LambdaVerdict>;
}

/** `$request.header.X` and friends in the REST spelling the shared identity lookup reads. */
function restSource(source: string): string {
  if (source.startsWith('$request.header.')) return `method.request.header.${source.slice('$request.header.'.length)}`;
  if (source.startsWith('$request.querystring.')) return `method.request.querystring.${source.slice('$request.querystring.'.length)}`;
  return source.slice(1); // $context.x, $stageVariables.x
}

/** Every identity source's value; one missing or empty is AWS's 401, without calling the function. */
export function identityValues(ctx: InvocationContext, sources: readonly string[]): string[] {
  return sources.map((source) => {
    const value = identityValue(ctx, restSource(source));
    if (value === undefined || value === '') throw unauthorized(`Unauthorized request: identity source ${source} is missing`);
    return value;
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A payload format 2.0 answer: a simple response, or (without simple responses) an IAM policy with any JSON context. */
function parseV2(payload: Buffer, simple: boolean): LambdaVerdict | undefined {
  let o: unknown;
  try {
    o = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(o)) return undefined;
  if (o.context !== undefined && o.context !== null && !isObject(o.context)) return undefined;
  const context = (o.context as Record<string, unknown> | undefined) ?? null;
  if (simple) return typeof o.isAuthorized === 'boolean' ? { isAuthorized: o.isAuthorized, context } : undefined;
  const statements = parsePolicyDocument(o.policyDocument);
  if (!statements || (o.principalId !== undefined && typeof o.principalId !== 'string')) return undefined;
  return { statements, context, ...(typeof o.principalId === 'string' ? { principalId: o.principalId } : {}) };
}

/** Payload format 1.0 answers are REST's: an IAM policy with string, number and boolean context values. */
function parseV1(payload: Buffer): LambdaVerdict | undefined {
  const output = parseAuthorizerOutput(payload);
  if (!output) return undefined;
  return { statements: output.statements, context: { ...output.context }, ...(output.principalId !== undefined ? { principalId: output.principalId } : {}) };
}

async function callFunction(deps: LambdaCallDeps, ctx: InvocationContext, call: HttpApiCall, authorizer: HttpAuthorizerRecord, identity: string[]): Promise<LambdaVerdict> {
  const routeArn = methodArn(ctx);
  const v2 = authorizer.authorizerPayloadFormatVersion === '2.0';
  const event = v2 ? authorizerEventV2(call, routeArn, identity) : authorizerEventV1(ctx, call, routeArn, identity);
  const payload = await invokeAuthorizerFunction(ctx, deps, { id: authorizer.authorizerId, uri: authorizer.authorizerUri, credentials: authorizer.authorizerCredentialsArn }, event);
  const verdict = v2 ? parseV2(payload, authorizer.enableSimpleResponses === true) : parseV1(payload);
  if (!verdict) throw authorizerConfigurationError(`Authorizer error: invalid authorizer output: ${payload.toString('utf8').slice(0, 1024)}`);
  return verdict;
}

/** Admits the request (answering what the integration learns of the caller) or throws the 401, 403 or 500. */
export async function lambdaAuthorize(deps: LambdaAuthorizerDeps, ctx: InvocationContext, call: HttpApiCall, authorizer: HttpAuthorizerRecord): Promise<HttpAuthorization> {
  const identity = identityValues(ctx, authorizer.identitySource);
  const ttl = authorizer.authorizerResultTtlInSeconds ?? 0;
  const cache = ttl > 0 ? deps.httpAuthorizerCache : undefined;
  // Keyed by deployment too, so redeploying a changed authorizer takes effect at once.
  const key = AuthorizerCache.key(call.api.apiId, call.stage.stageName, [call.deploymentId, authorizer.authorizerId, ...identity]);
  let verdict = cache?.get(key);
  let latency = 0;
  if (!verdict) {
    const started = Date.now();
    verdict = await callFunction(deps, ctx, call, authorizer, identity);
    latency = Date.now() - started;
    cache?.set(key, verdict, ttl);
  }
  if (verdict.statements) {
    const decision = evaluatePolicy(verdict.statements, methodArn(ctx));
    if (decision !== 'Allow') throw accessDenied(decision === 'ExplicitDeny');
  } else if (!verdict.isAuthorized) {
    throw accessDenied(false);
  }
  return { lambda: verdict.context, ...(verdict.principalId !== undefined ? { principalId: verdict.principalId } : {}), integrationLatency: latency };
}
