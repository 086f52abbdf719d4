// Lambda REQUEST authorizers on a WebSocket API's $connect route, as AWS documents them: every
// identity source (`route.request.header.X`, `route.request.querystring.X`, `stageVariables.X`,
// `context.X`) present and non-empty, else 401 without calling the function; the function called
// as API Gateway calls authorizers (source ARN …/authorizers/{id}) with the REQUEST event — headers,
// query strings, stage variables and the CONNECT request context, `methodArn` ending in `/$connect` —
// and its IAM policy evaluated against that ARN (else 403). Its principalId and context reach every
// event of the connection as requestContext.authorizer. The call and its failures (a function failing
// with "Unauthorized" is a 401, anything else a 500) are the REST and HTTP API authorizers'.
import type { HttpAuthorizerRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import type { InvocationRequest } from '../context.js';
import { invokeAuthorizerFunction, parseAuthorizerOutput } from '../authorizer.js';
import { accessDenied, authorizerConfigurationError, unauthorized } from '../errors.js';
import { evaluatePolicy } from '../iam-policy.js';
import type { LambdaCallDeps } from '../integrations/lambda.js';
import { header } from '../context.js';

export interface ConnectAuthorization {
  principalId?: string;
  /** The API key the authorizer names, for APIs whose apiKeySelectionExpression is $context.authorizer.usageIdentifierKey. */
  usageIdentifierKey?: string;
  context: Record<string, string | null>;
  integrationLatency: number;
}

/** What the authorizer needs of the handshake. */
export interface ConnectRequest {
  api: { apiId: string; accountId: string; region: string };
  stage: HttpStageRecord;
  request: InvocationRequest;
  /** The CONNECT event's headers and query strings (what the function's event carries). */
  event: Record<string, unknown>;
  requestContext: Record<string, unknown>;
}

/** One identity source's value for this handshake (undefined when absent). */
function identityValue(source: string, c: ConnectRequest): string | undefined {
  const after = (prefix: string) => (source.startsWith(prefix) ? source.slice(prefix.length) : undefined);
  let name: string | undefined;
  if ((name = after('route.request.header.')) !== undefined) return header(c.request, name);
  if ((name = after('route.request.querystring.')) !== undefined) return c.request.query?.[name];
  if ((name = after('stageVariables.')) !== undefined) return c.stage.stageVariables[name];
  if ((name = after('context.')) !== undefined) {
    let v: unknown = c.requestContext;
    for (const part of name.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}

/** Admits the handshake (answering what the connection's events carry as requestContext.authorizer) or throws the 401, 403 or 500. */
export async function authorizeConnect(deps: LambdaCallDeps, authorizer: HttpAuthorizerRecord, c: ConnectRequest): Promise<ConnectAuthorization> {
  for (const source of authorizer.identitySource) {
    const value = identityValue(source, c);
    if (value === undefined || value === '') throw unauthorized(`Unauthorized request: identity source ${source} is missing`);
  }
  const { api, stage } = c;
  const methodArn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${stage.stageName}/$connect`;
  const variables = Object.keys(stage.stageVariables).length ? stage.stageVariables : null;
  const event = {
    type: 'REQUEST', methodArn, headers: c.event.headers, multiValueHeaders: c.event.multiValueHeaders,
    queryStringParameters: c.event.queryStringParameters ?? {}, multiValueQueryStringParameters: c.event.multiValueQueryStringParameters ?? {},
    stageVariables: variables ?? {}, requestContext: c.requestContext,
  };
  const started = Date.now();
  const payload = await invokeAuthorizerFunction({ apiId: api.apiId, stageVariables: variables, resolved: { api } }, deps,
    { id: authorizer.authorizerId, uri: authorizer.authorizerUri, credentials: authorizer.authorizerCredentialsArn }, event);
  const output = parseAuthorizerOutput(payload);
  if (!output) throw authorizerConfigurationError(`Authorizer error: invalid authorizer output: ${payload.toString('utf8').slice(0, 1024)}`);
  const decision = evaluatePolicy(output.statements, methodArn);
  if (decision !== 'Allow') throw accessDenied(decision === 'ExplicitDeny');
  return {
    ...(output.principalId !== undefined ? { principalId: output.principalId } : {}),
    ...(output.usageIdentifierKey !== undefined ? { usageIdentifierKey: output.usageIdentifierKey } : {}),
    context: { ...output.context }, integrationLatency: Date.now() - started };
}
