// A Cognito user pool authorizer in an Api's Auth.Authorizers, as SAM's CognitoAuthorizer
// translates it: UserPoolArn (one ARN or a list) becomes the authorizer's providerARNs, Identity
// its header, validation expression (matched against the token's app client) and cache TTL, and
// AuthorizationScopes the scopes of the routes that use it.
import { TemplateError, type Location } from './issues.js';
import { get, type MapNode } from './source.js';
import { tokenIdentity, type AuthorizerSpec, type Reader } from './auth-spec.js';

/** A user pool ARN; a placeholder (`<Pool.Arn>`, a parameter) is taken as one. */
const POOL_ARN = /^(arn:aws[a-zA-Z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+|<[A-Za-z0-9.]+>)$/;
const LAMBDA_ONLY = ['FunctionArn', 'FunctionPayloadType', 'FunctionInvokeRole', 'DisableFunctionDefaultPermissions'];

export function cognitoAuthorizerSpec(name: string, props: MapNode, loc: Location, read: Reader): AuthorizerSpec {
  for (const key of LAMBDA_ONLY) {
    const node = get(props, key);
    if (node) throw new TemplateError(`authorizer ${name} has UserPoolArn (a Cognito authorizer), so ${key} (of Lambda authorizers) does not apply`, node.path, node.loc);
  }
  const poolNode = get(props, 'UserPoolArn')!;
  const value = read.value(poolNode);
  const arns = Array.isArray(value) ? value : [value];
  if (!arns.length || arns.some((a) => typeof a !== 'string' || !POOL_ARN.test(a))) {
    throw new TemplateError(`UserPoolArn is a Cognito user pool ARN (arn:aws:cognito-idp:{region}:{account}:userpool/{id}) or a list of them, got ${JSON.stringify(value)}`, poolNode.path, poolNode.loc);
  }
  const spec: AuthorizerSpec = { name, type: 'COGNITO_USER_POOLS', providerARNs: arns as string[], grantPermission: false, loc, path: props.path };
  const identityNode = get(props, 'Identity');
  const identity = identityNode ? read.map(identityNode, `Identity of authorizer ${name}`) : undefined;
  Object.assign(spec, tokenIdentity(identity, read, "a regular expression the token's app client (aud) must match"));
  const ttl = identity ? read.ttl(identity) : undefined;
  if (ttl !== undefined) spec.authorizerResultTtlInSeconds = ttl;
  const scopes = scopeList(props, 'AuthorizationScopes', read);
  if (scopes) spec.authorizationScopes = scopes;
  return spec;
}

/** A list of OAuth scopes (AuthorizationScopes), or undefined when absent. */
export function scopeList(map: MapNode, key: string, read: Reader): string[] | undefined {
  const node = get(map, key);
  const v = read.value(node);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '' || /\s/.test(s))) {
    throw new TemplateError(`${key} is a list of OAuth scopes (for example [email, openid, orders/read])`, node!.path, node!.loc);
  }
  return v as string[];
}
