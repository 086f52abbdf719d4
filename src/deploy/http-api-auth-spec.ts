// An HttpApi's Auth as SAM translates it into HTTP API authorizers: JWT authorizers
// (SAM's OAuth2Authorizer: JwtConfiguration, IdentitySource, default AuthorizationScopes) and
// Lambda authorizers (SAM's LambdaAuthorizer: FunctionArn, payload format, simple responses,
// Identity as `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`,
// ReauthorizeEvery as the cache TTL); EnableIamAuthorizer, which makes AWS_IAM an authorizer name
// routes (or the DefaultAuthorizer) may use; the DefaultAuthorizer; and what each route runs.
// Keys were checked against spec.ts by property-checks.ts; this reads and checks the values.
import { didYouMean, TemplateError, type Location } from './issues.js';
import type { Scope } from './intrinsics.js';
import { get, type MapNode } from './source.js';
import { IAM_AUTHORIZER, NO_AUTHORIZER } from './spec.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { authorizerFunctionArn, Reader } from './auth-spec.js';
import { lambdaIntegrationUri } from './urls.js';
import type { HttpApiEventSpec } from './http-api-spec.js';

export interface HttpAuthorizerSpec {
  name: string;
  type: 'JWT' | 'REQUEST';
  identitySource: string[];
  /** JWT: the issuer and audiences. */
  jwt?: { issuer: string; audience: string[] };
  /** JWT: the scopes routes need unless their event names its own. */
  scopes?: string[];
  /** REQUEST: the function as the template names it, and the invocation URI made of it. */
  functionArn?: string;
  authorizerUri?: string;
  credentials?: string;
  payloadFormatVersion?: '1.0' | '2.0';
  simpleResponses?: boolean;
  ttl?: number;
  /** SAM adds a Lambda permission for API Gateway only with EnableFunctionDefaultPermissions. */
  grantPermission: boolean;
}

export interface HttpApiAuthSpec {
  authorizers: HttpAuthorizerSpec[];
  defaultAuthorizer?: string;
  /** EnableIamAuthorizer: AWS_IAM may be named as a route's authorizer. */
  iam: boolean;
}

/** What a route runs: an authorizer by name (AWS_IAM: SigV4-signed requests), with the scopes a JWT route needs. */
export interface RouteAuthorization {
  authorizer: string;
  scopes?: string[];
}

function list(read: Reader, map: MapNode, key: string, what: string): string[] | undefined {
  const node = get(map, key);
  const v = read.value(node);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw new TemplateError(`${key} is ${what}`, node!.path, node!.loc);
  return v as string[];
}

function jwtAuthorizer(name: string, props: MapNode, loc: Location, read: Reader): HttpAuthorizerSpec {
  const config = read.map(get(props, 'JwtConfiguration')!, 'JwtConfiguration (issuer, audience)');
  // SAM documents lowercase keys; CloudFormation's capitalised ones are accepted too.
  const key = (k: string) => (get(config, k) ? k : k[0].toUpperCase() + k.slice(1));
  const issuer = read.string(config, key('issuer'), 'the issuer URL');
  if (!issuer || !/^https?:\/\/\S+$/.test(issuer)) throw new TemplateError(`authorizer ${name} needs JwtConfiguration.issuer, the issuer's URL`, config.path, loc);
  const audience = list(read, config, key('audience'), 'a list of audiences (client ids)') ?? [];
  const source = read.string(props, 'IdentitySource', 'a selection expression such as $request.header.Authorization') ?? '$request.header.Authorization';
  if (!/^\$request\.(header|querystring)\.[^\s,]+$/.test(source)) {
    const node = get(props, 'IdentitySource')!;
    throw new TemplateError(`IdentitySource of a JWT authorizer is one $request.header.X or $request.querystring.X, got '${source}'`, node.path, node.loc);
  }
  const spec: HttpAuthorizerSpec = { name, type: 'JWT', identitySource: [source], jwt: { issuer, audience }, grantPermission: false };
  const scopes = list(read, props, 'AuthorizationScopes', 'a list of scopes');
  if (scopes?.length) spec.scopes = scopes;
  return spec;
}

function lambdaAuthorizer(model: StackModel, name: string, props: MapNode, loc: Location, read: Reader): HttpAuthorizerSpec {
  const functionArn = authorizerFunctionArn(name, props, loc, read);
  const format = read.value(get(props, 'AuthorizerPayloadFormatVersion'));
  if (format === undefined) throw new TemplateError(`Lambda authorizer ${name} needs AuthorizerPayloadFormatVersion (1.0 or 2.0)`, props.path, loc);
  const version = typeof format === 'number' ? format.toFixed(1) : String(format);
  if (version !== '1.0' && version !== '2.0') {
    const node = get(props, 'AuthorizerPayloadFormatVersion')!;
    throw new TemplateError(`AuthorizerPayloadFormatVersion is 1.0 or 2.0, got '${version}'`, node.path, node.loc);
  }
  const simple = read.boolean(props, 'EnableSimpleResponses') ?? false;
  if (simple && version !== '2.0') {
    const node = get(props, 'EnableSimpleResponses')!;
    throw new TemplateError('EnableSimpleResponses needs AuthorizerPayloadFormatVersion 2.0', node.path, node.loc);
  }
  const identityNode = get(props, 'Identity');
  const identity = identityNode ? read.map(identityNode, `Identity of authorizer ${name}`) : undefined;
  const ttl = identity ? read.ttl(identity) : undefined;
  const sources = identity
    ? [
      ...read.names(identity, 'Headers').map((h) => `$request.header.${h}`),
      ...read.names(identity, 'QueryStrings').map((q) => `$request.querystring.${q}`),
      ...read.names(identity, 'Context').map((c) => `$context.${c}`),
      ...read.names(identity, 'StageVariables').map((s) => `$stageVariables.${s}`),
    ]
    : [];
  if (ttl && !sources.length) {
    throw new TemplateError(`Lambda authorizer ${name} caches results (ReauthorizeEvery) and so needs an Identity source (Headers, QueryStrings, Context or StageVariables)`, identityNode!.path, identityNode!.loc);
  }
  const spec: HttpAuthorizerSpec = {
    name, type: 'REQUEST', identitySource: sources, functionArn, authorizerUri: lambdaIntegrationUri(model.identity.region, functionArn),
    payloadFormatVersion: version, simpleResponses: simple, grantPermission: read.boolean(props, 'EnableFunctionDefaultPermissions') ?? false,
  };
  if (ttl !== undefined) spec.ttl = ttl;
  const role = read.string(props, 'FunctionInvokeRole', 'the ARN of a role API Gateway assumes to call the function');
  if (role !== undefined) spec.credentials = role;
  return spec;
}

/** The HttpApi's Auth, or undefined when it has none; throws a located TemplateError at the first problem. */
export function httpApiAuthSpec(model: StackModel, r: ActiveResource, scope: Scope): HttpApiAuthSpec | undefined {
  const node = get(r.properties, 'Auth');
  if (!node) return undefined;
  const read = new Reader(scope);
  const auth = read.map(node, 'Auth');
  const spec: HttpApiAuthSpec = { authorizers: [], iam: read.boolean(auth, 'EnableIamAuthorizer') ?? false };
  const authorizers = get(auth, 'Authorizers');
  for (const e of authorizers ? read.map(authorizers, 'Authorizers (authorizer names to authorizers)').entries : []) {
    const props = read.map(e.value, `authorizer ${e.key}`);
    if (e.key === NO_AUTHORIZER || e.key === IAM_AUTHORIZER) throw new TemplateError(`${e.key} is a reserved authorizer name in SAM; call the authorizer something else`, props.path, e.keyLoc);
    const jwt = get(props, 'JwtConfiguration') !== undefined;
    if (jwt === (get(props, 'FunctionArn') !== undefined)) {
      throw new TemplateError(`authorizer ${e.key} needs either JwtConfiguration (a JWT authorizer) or FunctionArn (a Lambda authorizer)`, props.path, e.keyLoc);
    }
    spec.authorizers.push(jwt ? jwtAuthorizer(e.key, props, e.keyLoc, read) : lambdaAuthorizer(model, e.key, props, e.keyLoc, read));
  }
  const name = read.string(auth, 'DefaultAuthorizer', 'the name of one of Authorizers');
  if (name !== undefined) {
    const known = [...spec.authorizers.map((a) => a.name), ...(spec.iam ? [IAM_AUTHORIZER] : [])];
    if (!known.includes(name)) {
      const where = get(auth, 'DefaultAuthorizer')!;
      throw new TemplateError(`DefaultAuthorizer '${name}' is not defined in Authorizers${didYouMean(name, known)}`, where.path, where.loc);
    }
    spec.defaultAuthorizer = name;
  }
  return spec;
}

/** What a route runs, as SAM decides: the event's Auth.Authorizer (NONE: nothing), else the API's DefaultAuthorizer. */
export function httpRouteAuthorization(apiLogicalId: string, auth: HttpApiAuthSpec | undefined, e: HttpApiEventSpec): RouteAuthorization | undefined {
  const own = e.authorizer;
  const fail = (message: string): never => {
    throw new TemplateError(message, own!.path, own!.loc);
  };
  if (own?.name === NO_AUTHORIZER) {
    if (!auth?.defaultAuthorizer) fail(`Authorizer ${NO_AUTHORIZER} only applies when ${apiLogicalId} has a DefaultAuthorizer, and it has none`);
    return undefined;
  }
  if (own?.name === IAM_AUTHORIZER && !auth?.iam) fail(`Authorizer ${IAM_AUTHORIZER} needs EnableIamAuthorizer: true in ${apiLogicalId}'s Auth`);
  const name = own?.name ?? auth?.defaultAuthorizer;
  if (name === undefined) return undefined;
  // Scopes matter to JWT authorizers only (as for Lambda authorizers below).
  if (name === IAM_AUTHORIZER) return { authorizer: IAM_AUTHORIZER };
  const authorizer = auth?.authorizers.find((a) => a.name === name);
  if (!authorizer) fail(`Authorizer '${name}' is not defined in ${apiLogicalId}'s Auth.Authorizers${didYouMean(name, auth?.authorizers.map((a) => a.name) ?? [])}`);
  if (authorizer!.type !== 'JWT') return { authorizer: name };
  const scopes = e.authorizationScopes ?? authorizer!.scopes;
  return scopes?.length ? { authorizer: name, scopes } : { authorizer: name };
}
