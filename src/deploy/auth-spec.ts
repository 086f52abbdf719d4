// An API's Auth as SAM translates it into API Gateway authorizers: each Lambda authorizer's type,
// invocation URI, identity sources (`method.request.header.Authorization`, …), validation
// expression and cache TTL, or a Cognito authorizer's user pools (cognito-auth-spec.ts); the API's
// DefaultAuthorizer; and which authorizer each route runs, with which scopes.
// Keys were checked against spec.ts by property-checks.ts; this reads and checks the values.
import type { ApiEventSpec } from './api-events.js';
import type { MethodAuthorizer } from './cors.js';
import { didYouMean, TemplateError, type Location } from './issues.js';
import { evaluate, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { entry, get, type MapNode, type TNode } from './source.js';
import { IAM_AUTHORIZER, NO_AUTHORIZER, USAGE_PLAN_PROPERTIES } from './spec.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { lambdaIntegrationUri } from './urls.js';
import { cognitoAuthorizerSpec } from './cognito-auth-spec.js';
import { resourcePolicySpec, type ResourcePolicySpec } from './resource-policy-spec.js';

export interface AuthorizerSpec {
  name: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  /** Lambda authorizers: the function as the template names it, an ARN, possibly of an alias or version. */
  functionArn?: string;
  authorizerUri?: string;
  /** Cognito authorizers: UserPoolArn, the user pools whose tokens it admits. */
  providerARNs?: string[];
  /** Cognito authorizers: AuthorizationScopes, the scopes of the routes that use it unless their event names others. */
  authorizationScopes?: string[];
  /** FunctionInvokeRole. */
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  /** ReauthorizeEvery; left unset when the template doesn't say, as SAM does (API Gateway then caches for 300 s). */
  authorizerResultTtlInSeconds?: number;
  /** SAM adds a Lambda permission for API Gateway unless DisableFunctionDefaultPermissions is true. */
  grantPermission: boolean;
  loc: Location;
  path: string;
}

export interface ApiAuthSpec {
  authorizers: AuthorizerSpec[];
  defaultAuthorizer?: string;
  /** AddDefaultAuthorizerToCorsPreflight: whether OPTIONS routes get the default authorizer too (SAM: yes unless false). */
  defaultOnOptions: boolean;
  /** ApiKeyRequired: every route needs an API key unless its event says otherwise. */
  apiKeyRequired: boolean;
  /** AddApiKeyRequiredToCorsPreflight: whether OPTIONS routes need the key too (SAM: yes unless false). */
  apiKeyOnOptions: boolean;
  /** UsagePlan, unless CreateUsagePlan is NONE. */
  usagePlan?: UsagePlanSpec;
  /** ResourcePolicy: statements on every path of the API (resource-policy-spec.ts). */
  resourcePolicy?: ResourcePolicySpec;
}

/** Auth.UsagePlan as SAM reads it: a plan for this API (PER_API) or one for every SHARED API of the stack, with a key. */
export interface UsagePlanSpec {
  create: 'PER_API' | 'SHARED';
  name?: string;
  description?: string;
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number };
  throttle?: { burstLimit?: number; rateLimit?: number };
  tags: Record<string, string>;
}

const MAX_TTL = 3600;
/** API Gateway's rule for a TOKEN authorizer's header (`method.request.header.[a-zA-Z0-9._-]+`). */
const HEADER_NAME = /^[a-zA-Z0-9._-]+$/;
/** A Lambda function ARN, optionally qualified; what a placeholder (`<Fn.Arn>`) stands for is checked once it is known. */
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;
const SAMPLE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder';

/** Evaluated node values, each failure a TemplateError at the node. */
export class Reader {
  constructor(private readonly scope: Scope) {}

  value(node: TNode | undefined): Value | undefined {
    if (!node) return undefined;
    const v = evaluate(node, this.scope);
    return v === NO_VALUE || v === null ? undefined : v;
  }

  map(node: TNode, what: string): MapNode {
    if (node.kind !== 'map') throw new TemplateError(`${what} is a map`, node.path, node.loc);
    return node;
  }

  string(map: MapNode, key: string, what: string): string | undefined {
    const node = get(map, key);
    const v = this.value(node);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new TemplateError(`${key} is ${what}`, node!.path, node!.loc);
    return v;
  }

  boolean(map: MapNode, key: string): boolean | undefined {
    const node = get(map, key);
    const v = this.value(node);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new TemplateError(`${key} is true or false`, node!.path, node!.loc);
  }

  ttl(map: MapNode): number | undefined {
    const node = get(map, 'ReauthorizeEvery');
    const v = this.value(node);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_TTL) {
      throw new TemplateError(`ReauthorizeEvery is a whole number of seconds from 0 (no caching) to ${MAX_TTL}, got ${JSON.stringify(v)}`, node!.path, node!.loc);
    }
    return n;
  }

  /** A list of names (header, query string, …), none empty and none with a comma or blank. */
  names(map: MapNode, key: string): string[] {
    const node = get(map, key);
    const v = this.value(node);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '' || /[\s,]/.test(x))) {
      throw new TemplateError(`${key} is a list of names (without blanks or commas)`, node!.path, node!.loc);
    }
    return v as string[];
  }
}

/** The API's Auth, or undefined when it has none; throws a located TemplateError at the first problem. */
export function apiAuthSpec(model: StackModel, r: ActiveResource, scope: Scope): ApiAuthSpec | undefined {
  const node = get(r.properties, 'Auth');
  if (!node) return undefined;
  const read = new Reader(scope);
  const auth = read.map(node, 'Auth');
  const spec: ApiAuthSpec = {
    authorizers: [], defaultOnOptions: read.boolean(auth, 'AddDefaultAuthorizerToCorsPreflight') ?? true,
    apiKeyRequired: read.boolean(auth, 'ApiKeyRequired') ?? false, apiKeyOnOptions: read.boolean(auth, 'AddApiKeyRequiredToCorsPreflight') ?? true,
  };
  const plan = get(auth, 'UsagePlan');
  if (plan) spec.usagePlan = usagePlanSpec(read.map(plan, 'UsagePlan'), read);
  const policy = get(auth, 'ResourcePolicy');
  const policyValue = read.value(policy);
  if (policyValue !== undefined) spec.resourcePolicy = resourcePolicySpec(policyValue, (m) => { throw new TemplateError(m, policy!.path, policy!.loc); });
  const list = get(auth, 'Authorizers');
  for (const e of list ? read.map(list, 'Authorizers (authorizer names to authorizers)').entries : []) {
    const props = read.map(e.value, `authorizer ${e.key}`);
    spec.authorizers.push(get(props, 'UserPoolArn') ? cognitoAuthorizerSpec(e.key, props, e.keyLoc, read) : authorizerSpec(model, e.key, props, e.keyLoc, read));
  }
  const defaultEntry = entry(auth, 'DefaultAuthorizer');
  const name = read.string(auth, 'DefaultAuthorizer', 'the name of one of Authorizers');
  if (name !== undefined) {
    const known = spec.authorizers.map((a) => a.name);
    const where = [defaultEntry!.value.path, defaultEntry!.value.loc] as const;
    if (name === IAM_AUTHORIZER) throw new TemplateError(`DefaultAuthorizer ${IAM_AUTHORIZER} is not supported by stagecraft deploy: use a Lambda or Cognito authorizer`, ...where);
    if (!known.includes(name)) throw new TemplateError(`DefaultAuthorizer '${name}' is not defined in Authorizers${didYouMean(name, known)}`, ...where);
    spec.defaultAuthorizer = name;
  }
  return spec;
}

const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

/** Auth.UsagePlan, checked as SAM checks it; undefined for CreateUsagePlan NONE. */
function usagePlanSpec(plan: MapNode, read: Reader): UsagePlanSpec | undefined {
  for (const e of plan.entries) {
    if (!USAGE_PLAN_PROPERTIES.includes(e.key)) throw new TemplateError(`unknown UsagePlan property '${e.key}'${didYouMean(e.key, USAGE_PLAN_PROPERTIES)}`, e.value.path, e.keyLoc);
  }
  const create = read.string(plan, 'CreateUsagePlan', 'PER_API, SHARED or NONE');
  const createNode = get(plan, 'CreateUsagePlan');
  if (create === undefined) throw new TemplateError('UsagePlan needs CreateUsagePlan (PER_API, SHARED or NONE)', plan.path, plan.loc);
  if (create !== 'PER_API' && create !== 'SHARED' && create !== 'NONE') throw new TemplateError(`CreateUsagePlan is PER_API, SHARED or NONE, got '${create}'`, createNode!.path, createNode!.loc);
  if (create === 'NONE') return undefined;
  const spec: UsagePlanSpec = { create, tags: {} };
  const name = read.string(plan, 'UsagePlanName', 'a name');
  const description = read.string(plan, 'Description', 'a text');
  if (name !== undefined) spec.name = name;
  if (description !== undefined) spec.description = description;
  const number = (map: MapNode, key: string, min: number): number | undefined => {
    const node = get(map, key);
    const v = read.value(node);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (typeof v === 'object' || !Number.isFinite(n) || n < min) throw new TemplateError(`${key} is a number of at least ${min}`, node!.path, node!.loc);
    return n;
  };
  const quotaNode = get(plan, 'Quota');
  if (quotaNode) {
    const quota = read.map(quotaNode, 'Quota (Limit, Period, Offset)');
    const limit = number(quota, 'Limit', 0);
    const period = read.string(quota, 'Period', 'DAY, WEEK or MONTH');
    if (limit === undefined || period === undefined || !(PERIODS as readonly string[]).includes(period)) {
      throw new TemplateError('Quota needs Limit (requests) and Period (DAY, WEEK or MONTH)', quota.path, quota.loc);
    }
    spec.quota = { limit, period: period as (typeof PERIODS)[number], offset: number(quota, 'Offset', 0) };
  }
  const throttleNode = get(plan, 'Throttle');
  if (throttleNode) {
    const throttle = read.map(throttleNode, 'Throttle (BurstLimit, RateLimit)');
    spec.throttle = { burstLimit: number(throttle, 'BurstLimit', 0), rateLimit: number(throttle, 'RateLimit', 0) };
  }
  const tagsNode = get(plan, 'Tags');
  if (tagsNode) {
    const tags = read.value(tagsNode);
    // CloudFormation's list of {Key, Value}, or a plain map.
    const pairs = Array.isArray(tags) ? tags.map((t) => [(t as Record<string, Value>)?.Key, (t as Record<string, Value>)?.Value]) : Object.entries((tags ?? {}) as Record<string, Value>);
    for (const [k, v] of pairs) {
      if (typeof k !== 'string' || (typeof v !== 'string' && typeof v !== 'number')) throw new TemplateError('Tags is a list of {Key, Value} (or a map of names to values)', tagsNode.path, tagsNode.loc);
      spec.tags[k] = String(v);
    }
  }
  return spec;
}

/** An authorizer's FunctionArn, checked to be a function ARN (REST and HTTP API Lambda authorizers alike). */
export function authorizerFunctionArn(name: string, props: MapNode, loc: Location, read: Reader): string {
  const functionArn = read.string(props, 'FunctionArn', 'the ARN of the authorizer function (for example !GetAtt AuthFunction.Arn)');
  if (functionArn === undefined) throw new TemplateError(`authorizer ${name} needs a FunctionArn (for example !GetAtt AuthFunction.Arn)`, props.path, loc);
  // A placeholder stands for an ARN when it is one (<Fn.Arn>, <Fn.Alias>, <Fn.Version>); <Fn> (!Ref Fn) is a function name.
  const sample = functionArn.replace(/<[A-Za-z0-9]+\.(Arn|Alias|Version)>/g, SAMPLE_ARN).replace(/<[A-Za-z0-9.]+>/g, 'x');
  if (!FUNCTION_ARN.test(sample)) {
    const node = get(props, 'FunctionArn')!;
    throw new TemplateError(`FunctionArn is a Lambda function ARN (for example !GetAtt AuthFunction.Arn), got '${functionArn}'`, node.path, node.loc);
  }
  return functionArn;
}

function authorizerSpec(model: StackModel, name: string, props: MapNode, loc: Location, read: Reader): AuthorizerSpec {
  const path = props.path;
  if (name === NO_AUTHORIZER || name === IAM_AUTHORIZER) throw new TemplateError(`${name} is a reserved authorizer name in SAM; call the authorizer something else`, path, loc);
  const type = read.string(props, 'FunctionPayloadType', 'TOKEN or REQUEST') ?? 'TOKEN';
  if (type !== 'TOKEN' && type !== 'REQUEST') {
    const node = get(props, 'FunctionPayloadType')!;
    throw new TemplateError(`FunctionPayloadType is TOKEN or REQUEST, got '${type}'`, node.path, node.loc);
  }
  const functionArn = authorizerFunctionArn(name, props, loc, read);
  const spec: AuthorizerSpec = {
    name, type, functionArn, authorizerUri: lambdaIntegrationUri(model.identity.region, functionArn),
    grantPermission: !(read.boolean(props, 'DisableFunctionDefaultPermissions') ?? false), loc, path,
  };
  const role = read.string(props, 'FunctionInvokeRole', 'the ARN of a role API Gateway assumes to call the function');
  if (role !== undefined) spec.authorizerCredentials = role;
  const identityNode = get(props, 'Identity');
  const identity = identityNode ? read.map(identityNode, `Identity of authorizer ${name}`) : undefined;
  const ttl = identity ? read.ttl(identity) : undefined;
  if (ttl !== undefined) spec.authorizerResultTtlInSeconds = ttl;
  if (type === 'TOKEN') {
    Object.assign(spec, tokenIdentity(identity, read, 'a regular expression the token must match'));
    return spec;
  }
  // SAM's order: headers, query strings, stage variables, context; joined with ", ".
  const sources = identity
    ? [
      ...read.names(identity, 'Headers').map((h) => `method.request.header.${h}`),
      ...read.names(identity, 'QueryStrings').map((q) => `method.request.querystring.${q}`),
      ...read.names(identity, 'StageVariables').map((s) => `stageVariables.${s}`),
      ...read.names(identity, 'Context').map((c) => `context.${c}`),
    ]
    : [];
  // As SAM: a REQUEST authorizer names its identity unless it turns caching off (results are cached by identity).
  if (!sources.length && ttl !== 0) {
    throw new TemplateError(`REQUEST authorizer ${name} needs an Identity with at least one of Headers, QueryStrings, StageVariables or Context (or ReauthorizeEvery: 0)`, identityNode?.path ?? path, identityNode?.loc ?? loc);
  }
  if (sources.length) spec.identitySource = sources.join(', ');
  return spec;
}

/** A token's Identity (TOKEN and Cognito authorizers): its header (default Authorization) and validation expression. */
export function tokenIdentity(identity: MapNode | undefined, read: Reader, expressionIs: string): Pick<AuthorizerSpec, 'identitySource' | 'identityValidationExpression'> {
  const header = (identity && read.string(identity, 'Header', 'a header name')) ?? 'Authorization';
  if (!HEADER_NAME.test(header)) {
    const node = get(identity, 'Header')!;
    throw new TemplateError(`Header '${header}' may only contain letters, digits, '.', '_' and '-'`, node.path, node.loc);
  }
  const out: Pick<AuthorizerSpec, 'identitySource' | 'identityValidationExpression'> = { identitySource: `method.request.header.${header}` };
  const expression = identity && read.string(identity, 'ValidationExpression', expressionIs);
  if (expression !== undefined) {
    try {
      new RegExp(expression);
    } catch {
      const node = get(identity, 'ValidationExpression')!;
      throw new TemplateError(`ValidationExpression '${expression}' is not a valid regular expression`, node.path, node.loc);
    }
    out.identityValidationExpression = expression;
  }
  return out;
}

/**
 * The authorizer a route runs, or undefined for none, as SAM decides: the event's Auth.Authorizer,
 * else the API's DefaultAuthorizer (not on OPTIONS when AddDefaultAuthorizerToCorsPreflight is false).
 */
/** Whether a route needs an API key, as SAM decides: the event's Auth.ApiKeyRequired, else the API's (on OPTIONS only with AddApiKeyRequiredToCorsPreflight). */
export function routeApiKeyRequired(auth: ApiAuthSpec | undefined, method: string, own?: boolean): boolean {
  if (own !== undefined) return own;
  if (!auth?.apiKeyRequired) return false;
  return method !== 'OPTIONS' || auth.apiKeyOnOptions;
}

export function routeAuthorizer(apiLogicalId: string, auth: ApiAuthSpec | undefined, e: ApiEventSpec): string | undefined {
  const own = e.authorizer;
  if (!own) return e.method === 'OPTIONS' && !auth?.defaultOnOptions ? undefined : auth?.defaultAuthorizer;
  const fail = (message: string): never => {
    throw new TemplateError(message, own.path, own.loc);
  };
  if (own.name === IAM_AUTHORIZER) fail(`Authorizer ${IAM_AUTHORIZER} is not supported by stagecraft deploy: use a Lambda or Cognito authorizer`);
  if (own.name === NO_AUTHORIZER) {
    // SAM refuses NONE where there is no default to turn off.
    if (!auth?.defaultAuthorizer) fail(`Authorizer ${NO_AUTHORIZER} only applies when ${apiLogicalId} has a DefaultAuthorizer, and it has none`);
    return undefined;
  }
  const known = auth?.authorizers.map((a) => a.name) ?? [];
  if (!known.length) fail(`Authorizer '${own.name}' is not defined: ${apiLogicalId} has no Auth.Authorizers`);
  if (!known.includes(own.name)) fail(`Authorizer '${own.name}' is not defined in ${apiLogicalId}'s Auth.Authorizers${didYouMean(own.name, known)}`);
  return own.name;
}

/**
 * What a method runs for the authorizer named `name` (deployed with the id in `ids`): a Lambda
 * authorizer (CUSTOM), or a Cognito one (COGNITO_USER_POOLS) with the scopes SAM sets — the
 * event's Auth.AuthorizationScopes, else the authorizer's AuthorizationScopes.
 */
export function methodAuthorizer(auth: ApiAuthSpec | undefined, ids: ReadonlyMap<string, string>, name: string | undefined, e: Pick<ApiEventSpec, 'authorizationScopes'>): MethodAuthorizer | undefined {
  const spec = name === undefined ? undefined : auth?.authorizers.find((a) => a.name === name);
  if (!spec) return undefined;
  const id = ids.get(spec.name)!;
  if (spec.type !== 'COGNITO_USER_POOLS') return { name: spec.name, id, type: 'CUSTOM' };
  const scopes = e.authorizationScopes ?? spec.authorizationScopes;
  return { name: spec.name, id, type: 'COGNITO_USER_POOLS', ...(scopes?.length ? { scopes } : {}) };
}
