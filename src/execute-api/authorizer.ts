// Step 4b — Lambda authorizers (authorizationType CUSTOM): before the integration, the method's
// TOKEN or REQUEST authorizer decides whether the caller may invoke it.
//
//   identity sources present (and the token matching identityValidationExpression)? else 401
//   → cached result for this identity, or call the function through the one invoker (as
//     apigateway.amazonaws.com with source ARN …/authorizers/{id}, unless authorizerCredentials)
//   → the function failing with "Unauthorized" is a 401, any other failure or a malformed
//     answer a 500 AuthorizerConfigurationException
//   → the returned policy evaluated against this request's method ARN, with the API's resource
//     policy (resource-policy.ts): 403 unless either allows and neither denies
//   → principalId and context kept on the context for the integration ($context.authorizer).
import type { AuthorizerRecord } from '../store/apigateway-store.js';
import { identitySources } from '../apigateway/authorizer-rules.js';
import type { InvocationContext } from './context.js';
import { header } from './context.js';
import { AuthorizerCache, type AuthorizerOutput } from './authorizer-cache.js';
import { accessDenied, authorizerConfigurationError, isGatewayError, unauthorized } from './errors.js';
import { combineWithResourcePolicy, evaluatePolicy, parsePolicyDocument } from './iam-policy.js';
import { eventHeaders, requestContext } from './proxy-event.js';
import { callAsGateway, DEFAULT_TIMEOUT_MS, functionOfUri, type GatewayCallContext, type LambdaCallDeps } from './integrations/lambda.js';
import { userRegExp } from '../core/linear-regex.js';

/** API Gateway's default result TTL when the authorizer sets none. */
export const DEFAULT_RESULT_TTL = 300;

export interface AuthorizerDeps extends LambdaCallDeps {
  /** Results by stage and identity; without one, every request calls the authorizer. */
  authorizerCache?: AuthorizerCache;
}

/** arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path as requested}. */
export function methodArn(ctx: InvocationContext): string {
  const api = ctx.resolved!.api;
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${ctx.apiId}/${ctx.stageName}/${ctx.request.method}${ctx.request.path}`;
}

/** The value one identity source names for this request ('' or undefined when absent). */
export function identityValue(ctx: InvocationContext, source: string): string | undefined {
  const r = ctx.request;
  const dot = (prefix: string) => (source.startsWith(prefix) ? source.slice(prefix.length) : undefined);
  let name: string | undefined;
  if ((name = dot('method.request.header.')) !== undefined) return header(r, name);
  if ((name = dot('method.request.multivalueheader.')) !== undefined) {
    const key = r.headerNames.get(name.toLowerCase());
    return key === undefined ? undefined : r.multiHeaders[key].join(',');
  }
  if ((name = dot('method.request.querystring.')) !== undefined) return r.query?.[name];
  if ((name = dot('method.request.multivaluequerystring.')) !== undefined) return r.multiQuery?.[name]?.join(',');
  if ((name = dot('stageVariables.')) !== undefined) return ctx.stageVariables?.[name];
  if ((name = dot('context.')) !== undefined) {
    let v: unknown = requestContext(ctx);
    for (const part of name.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();
/**
 * identityValidationExpression must match the whole value (Java's String.matches); compiled once,
 * run in linear time (the header is the client's to choose).
 */
export function validationPattern(expression: string): RegExp {
  let re = patterns.get(expression);
  if (!re) {
    re = userRegExp(`^(?:${expression})$`, 's');
    if (patterns.size >= 512) patterns.clear();
    patterns.set(expression, re);
  }
  return re;
}

/**
 * The request's identity for this authorizer: the token (TOKEN), or every identity source's value
 * (REQUEST). Anything missing or empty, or a token the validation expression rejects, is AWS's 401
 * without calling the function.
 */
export function identityOf(ctx: InvocationContext, authorizer: AuthorizerRecord): string[] {
  const sources = authorizer.type === 'TOKEN' ? [authorizer.identitySource ?? ''] : identitySources(authorizer.identitySource);
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(ctx, source.trim());
    if (value === undefined || value === '') throw unauthorized(`Unauthorized request: identity source ${source} is missing`);
    values.push(value);
  }
  const expression = authorizer.identityValidationExpression;
  if (authorizer.type === 'TOKEN' && expression && !validationPattern(expression).test(values[0])) {
    throw unauthorized('Unauthorized request: the token does not match the identity validation expression');
  }
  return values;
}

/** The event the authorizer function receives (AWS's TOKEN and REQUEST input formats). */
export function authorizerEvent(ctx: InvocationContext, authorizer: AuthorizerRecord, identity: string[], localPort?: number): Record<string, unknown> {
  const arn = methodArn(ctx);
  if (authorizer.type === 'TOKEN') return { type: 'TOKEN', methodArn: arn, authorizationToken: identity[0] };
  return { type: 'REQUEST', methodArn: arn, ...requestAuthorizerFields(ctx, localPort) };
}

/** What a REQUEST authorizer's event says of the request (also HTTP APIs' payload format 1.0 authorizer event). */
export function requestAuthorizerFields(ctx: InvocationContext, localPort?: number): Record<string, unknown> {
  const r = ctx.request;
  const { headers, multiValueHeaders } = eventHeaders(ctx, localPort);
  return {
    resource: ctx.resource!.path,
    path: r.requestPath ?? r.path,
    httpMethod: r.method,
    headers,
    multiValueHeaders,
    queryStringParameters: r.query ?? {},
    multiValueQueryStringParameters: r.multiQuery ?? {},
    pathParameters: ctx.pathParameters ?? {},
    stageVariables: ctx.stageVariables ?? {},
    requestContext: requestContext(ctx),
  };
}

/** A context value as integrations see it: strings, numbers and booleans stringified, null kept (as AWS does). */
const contextValue = (v: unknown): string | null | undefined =>
  v === null ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** An authorizer's answer, or undefined when it is not one (no policy, context values that are objects…). */
export function parseAuthorizerOutput(payload: Buffer): AuthorizerOutput | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const statements = parsePolicyDocument(o.policyDocument);
  if (!statements) return undefined;
  if (o.principalId !== undefined && typeof o.principalId !== 'string') return undefined;
  const context: Record<string, string | null> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object' || Array.isArray(o.context)) return undefined;
    // AWS accepts only string, number and boolean values (and null) in the context map.
    for (const [k, v] of Object.entries(o.context)) {
      const s = contextValue(v);
      if (s === undefined) return undefined;
      context[k] = s;
    }
  }
  const output: AuthorizerOutput = { policyDocument: o.policyDocument, statements, context };
  if (o.principalId !== undefined) output.principalId = o.principalId;
  if (typeof o.usageIdentifierKey === 'string') output.usageIdentifierKey = o.usageIdentifierKey;
  return output;
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof v.errorMessage === 'string' ? v.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/** What calling an authorizer function needs of the request: the API (id, account, region), the stage variables, the execution log if any. */
export type AuthorizerCallContext = GatewayCallContext & Pick<InvocationContext, 'apiId' | 'stageVariables'>;

/** The source ARN API Gateway presents when it calls an authorizer function. */
export function authorizerSourceArn(ctx: AuthorizerCallContext, authorizerId: string): string {
  const api = ctx.resolved!.api;
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${ctx.apiId}/authorizers/${authorizerId}`;
}

/** The authorizer function to call: its invocation URI, the id its source ARN names, the role to call it with. */
export interface AuthorizerFunction {
  id: string;
  uri: string | undefined;
  credentials: string | undefined;
}

/**
 * Calls an authorizer function as API Gateway does and returns its answer. A function failing
 * with "Unauthorized" is a 401; any other failure, a refused permission or a timeout a 500
 * AuthorizerConfigurationException.
 */
export async function invokeAuthorizerFunction(ctx: AuthorizerCallContext, deps: LambdaCallDeps, fn: AuthorizerFunction, event: Record<string, unknown>): Promise<Buffer> {
  const ref = functionOfUri(ctx, fn.uri);
  if (!ref) throw authorizerConfigurationError(`Invalid authorizer URI ${fn.uri ?? ''}`);
  let outcome;
  try {
    outcome = await callAsGateway(ctx, deps, ref, Buffer.from(JSON.stringify(event)), {
      sourceArn: authorizerSourceArn(ctx, fn.id), credentials: fn.credentials, timeoutMs: DEFAULT_TIMEOUT_MS, payloadIsJson: true,
    });
  } catch (e) {
    // Permission, missing function, timeout: the authorizer's configuration error, not the integration's.
    if (isGatewayError(e)) throw authorizerConfigurationError(`Authorizer error: ${e.detail ?? e.message}`);
    throw e;
  }
  const payload = outcome.payload ?? Buffer.alloc(0);
  if (outcome.functionError) {
    const message = errorMessageOf(payload);
    if (message === 'Unauthorized') throw unauthorized('Unauthorized request: the authorizer answered Unauthorized');
    throw authorizerConfigurationError(`Authorizer error: the function failed: ${message ?? payload.toString('utf8')}`);
  }
  return payload;
}

/** Calls the authorizer function and parses its answer; the 401 and 500 cases are thrown. */
export async function callAuthorizer(ctx: InvocationContext, deps: LambdaCallDeps, authorizer: AuthorizerRecord, event: Record<string, unknown>): Promise<AuthorizerOutput> {
  const payload = await invokeAuthorizerFunction(ctx, deps, { id: authorizer.id, uri: authorizer.authorizerUri, credentials: authorizer.authorizerCredentials }, event);
  const output = parseAuthorizerOutput(payload);
  if (!output) throw authorizerConfigurationError(`Authorizer error: invalid authorizer output: ${payload.toString('utf8').slice(0, 1024)}`);
  return output;
}

/** The step: admits the request (setting ctx.authorizer) or throws AWS's gateway response. */
export async function authorize(ctx: InvocationContext, deps: AuthorizerDeps): Promise<void> {
  const method = ctx.method!;
  if (method.authorizationType !== 'CUSTOM') return;
  const authorizer = ctx.resolved!.deployment.snapshot.authorizers?.[method.authorizerId ?? ''];
  if (!authorizer || authorizer.type === 'COGNITO_USER_POOLS') {
    throw authorizerConfigurationError(`Authorizer ${method.authorizerId ?? 'null'} is not a Lambda authorizer of this deployment`);
  }
  const identity = identityOf(ctx, authorizer);
  const ttl = authorizer.authorizerResultTtlInSeconds ?? DEFAULT_RESULT_TTL;
  // Keyed by deployment too, so redeploying a changed authorizer takes effect at once.
  const key = AuthorizerCache.key(ctx.apiId, ctx.stageName, [ctx.resolved!.deployment.id, authorizer.id, ...identity]);
  const cache = ttl > 0 ? deps.authorizerCache : undefined;
  let output = cache?.get(key);
  let latency = 0;
  if (!output) {
    const started = Date.now();
    output = await callAuthorizer(ctx, deps, authorizer, authorizerEvent(ctx, authorizer, identity, ctx.raw?.socket.localPort));
    latency = Date.now() - started;
    cache?.set(key, output, ttl);
  }
  const decision = combineWithResourcePolicy(evaluatePolicy(output.statements, methodArn(ctx)), ctx.resourcePolicy);
  if (decision !== 'Allow') throw accessDenied(decision === 'ExplicitDeny');
  ctx.authorizer = { context: output.context, integrationLatency: latency };
  if (output.principalId !== undefined) ctx.authorizer.principalId = output.principalId;
  if (output.usageIdentifierKey !== undefined) ctx.authorizer.usageIdentifierKey = output.usageIdentifierKey;
}
