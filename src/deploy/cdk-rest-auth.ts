// What a synthesized CDK RestApi says about who may call its methods and what they accept, folded
// into the API's OpenAPI document as API Gateway imports it: each AWS::ApiGateway::Authorizer as a
// security scheme with x-amazon-apigateway-authorizer, ApiKeyRequired as the `api_key` scheme, each
// AWS::ApiGateway::Model as a schema of components.schemas, each AWS::ApiGateway::RequestValidator
// in x-amazon-apigateway-request-validators; the API's AWS::ApiGateway::UsagePlan and the key in it
// as SAM's Auth.UsagePlan (the deploy creates the plan and one key, as for an AWS::Serverless::Api).
import { get, type MapNode, type TNode } from './source.js';
import { build, referenced, scalarString, stackArnParts, tagMap, type RawResource, type TranslateContext, type Translation } from './cdk-nodes.js';

const RAW_AUTHORIZER = 'AWS::ApiGateway::Authorizer';
const RAW_MODEL = 'AWS::ApiGateway::Model';
const RAW_VALIDATOR = 'AWS::ApiGateway::RequestValidator';
const RAW_USAGE_PLAN = 'AWS::ApiGateway::UsagePlan';
const RAW_USAGE_PLAN_KEY = 'AWS::ApiGateway::UsagePlanKey';
const RAW_API_KEY = 'AWS::ApiGateway::ApiKey';
/** The security scheme API Gateway exports for methods that need an API key. */
const API_KEY_SCHEME = 'api_key';

/** The API's authorizers, models and validators by logical ID, with the names the document gives them. */
export interface RestAuthParts {
  authorizers: Map<string, { name: string; type: string }>;
  models: Map<string, string>;
  validators: Map<string, string>;
  /** The document's components and root extensions. */
  components: Record<string, unknown>;
  extensions: Record<string, unknown>;
}

function ofApi(ctx: TranslateContext, type: string, apiId: string): RawResource[] {
  return [...ctx.raw.values()].filter((r) => r.type === type && referenced(get(r.properties, 'RestApiId'))?.id === apiId);
}

/** The name a raw resource has (its Name property, else its logical ID, as alphanumeric as API Gateway wants model names). */
function nameOf(r: RawResource): string {
  return scalarString(get(r.properties, 'Name')) ?? r.logicalId;
}

/** Authorizers, models and validators of the API as document parts; each raw resource is dropped, Ref to it rewritten. */
export function restAuthParts(ctx: TranslateContext, api: RawResource, out: Translation): RestAuthParts {
  const parts: RestAuthParts = { authorizers: new Map(), models: new Map(), validators: new Map(), components: {}, extensions: {} };
  const schemes: Record<string, unknown> = {};
  for (const a of ofApi(ctx, RAW_AUTHORIZER, api.logicalId)) {
    const scheme = securityScheme(ctx, a);
    out.dropped.add(a.logicalId);
    // Ref gives the authorizer's ID, known only once the document is imported: permissions that name it admit any authorizer of the API.
    out.rewrites.set(a.logicalId, { ref: build('*', a.path, a.loc), dependsOn: api.logicalId });
    if (!scheme) continue;
    schemes[nameOf(a)] = scheme;
    parts.authorizers.set(a.logicalId, { name: nameOf(a), type: scalarString(get(a.properties, 'Type')) ?? '' });
  }
  if (ofApi(ctx, 'AWS::ApiGateway::Method', api.logicalId).some((m) => isTrue(get(m.properties, 'ApiKeyRequired')))) {
    schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }
  if (Object.keys(schemes).length) parts.components.securitySchemes = schemes;
  const schemas: Record<string, unknown> = {};
  for (const m of ofApi(ctx, RAW_MODEL, api.logicalId)) {
    const schema = get(m.properties, 'Schema');
    out.dropped.add(m.logicalId);
    out.rewrites.set(m.logicalId, { ref: build(nameOf(m), m.path, m.loc), dependsOn: api.logicalId });
    if (schema?.kind !== 'map') {
      ctx.issues.error(`${m.logicalId} needs a Schema (a JSON schema)`, m.path, m.loc);
      continue;
    }
    schemas[nameOf(m)] = schema;
    parts.models.set(m.logicalId, nameOf(m));
  }
  if (Object.keys(schemas).length) parts.components.schemas = schemas;
  const validators: Record<string, unknown> = {};
  for (const v of ofApi(ctx, RAW_VALIDATOR, api.logicalId)) {
    out.dropped.add(v.logicalId);
    out.rewrites.set(v.logicalId, { dependsOn: api.logicalId });
    validators[nameOf(v)] = { validateRequestBody: isTrue(get(v.properties, 'ValidateRequestBody')), validateRequestParameters: isTrue(get(v.properties, 'ValidateRequestParameters')) };
    parts.validators.set(v.logicalId, nameOf(v));
  }
  if (Object.keys(validators).length) parts.extensions['x-amazon-apigateway-request-validators'] = validators;
  return parts;
}

function isTrue(node: TNode | undefined): boolean {
  return node?.kind === 'scalar' && (node.value === true || node.value === 'true');
}

/** An authorizer as the security scheme API Gateway exports for it. */
function securityScheme(ctx: TranslateContext, a: RawResource): Record<string, unknown> | undefined {
  const p = a.properties;
  const type = scalarString(get(p, 'Type'));
  const identitySource = get(p, 'IdentitySource');
  if (type === 'COGNITO_USER_POOLS') {
    return {
      type: 'apiKey', name: headerOf(identitySource) ?? 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: get(p, 'ProviderARNs'), identitySource },
    };
  }
  if (type !== 'TOKEN' && type !== 'REQUEST') {
    ctx.issues.error(`${a.logicalId}: Type is TOKEN, REQUEST or COGNITO_USER_POOLS`, `${a.path}.Properties.Type`, a.loc);
    return undefined;
  }
  const uri = get(p, 'AuthorizerUri');
  return {
    type: 'apiKey', name: (type === 'TOKEN' && headerOf(identitySource)) || 'Unused', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: type.toLowerCase(), authorizerUri: uri && stackArnParts(ctx, uri), authorizerCredentials: get(p, 'AuthorizerCredentials'), identitySource,
      identityValidationExpression: get(p, 'IdentityValidationExpression'), authorizerResultTtlInSeconds: get(p, 'AuthorizerResultTtlInSeconds'),
    },
  };
}

function headerOf(identitySource: TNode | undefined): string | undefined {
  return /^method\.request\.header\.(.+)$/.exec(scalarString(identitySource) ?? '')?.[1];
}

/** The method's security requirements, request body model and validator, as its operation's fields. */
export function methodAuth(ctx: TranslateContext, m: RawResource, parts: RestAuthParts): Record<string, unknown> | undefined {
  const p = m.properties;
  const out: Record<string, unknown> = {};
  const authorization = scalarString(get(p, 'AuthorizationType')) ?? 'NONE';
  const requirement: Record<string, unknown> = {};
  const authorizerId = referenced(get(p, 'AuthorizerId'))?.id;
  const authorizer = authorizerId === undefined ? undefined : parts.authorizers.get(authorizerId);
  if (authorization === 'CUSTOM' || authorization === 'COGNITO_USER_POOLS') {
    if (!authorizer) {
      ctx.issues.error(`${m.logicalId}: AuthorizationType ${authorization} needs an AuthorizerId (!Ref an AWS::ApiGateway::Authorizer of the same API)`, `${m.path}.Properties.AuthorizerId`, m.loc);
      return undefined;
    }
    if ((authorizer.type === 'COGNITO_USER_POOLS') !== (authorization === 'COGNITO_USER_POOLS')) {
      ctx.issues.error(`${m.logicalId}: AuthorizationType ${authorization} does not match the type of ${authorizerId} (${authorizer.type})`, `${m.path}.Properties.AuthorizationType`, m.loc);
      return undefined;
    }
    requirement[authorizer.name] = get(p, 'AuthorizationScopes') ?? [];
  } else if (authorization !== 'NONE') {
    ctx.issues.error(`${m.logicalId}: AuthorizationType ${authorization} of a raw AWS::ApiGateway::Method can't be deployed yet (NONE, CUSTOM and COGNITO_USER_POOLS can); write the API as an AWS::Serverless::Api or give the RestApi a Body (OpenAPI)`, m.path, m.loc);
    return undefined;
  }
  if (isTrue(get(p, 'ApiKeyRequired'))) requirement[API_KEY_SCHEME] = [];
  if (Object.keys(requirement).length) out.security = [requirement];
  const models = get(p, 'RequestModels');
  if (models?.kind === 'map') {
    const content: Record<string, unknown> = {};
    for (const e of models.entries) {
      const id = referenced(e.value)?.id;
      const name = id === undefined ? scalarString(e.value) : parts.models.get(id);
      if (name === undefined) {
        ctx.issues.error(`${m.logicalId}: RequestModels.${e.key} names a model (!Ref an AWS::ApiGateway::Model of the same API, or its name)`, e.value.path, e.value.loc);
        return undefined;
      }
      content[e.key] = { schema: { $ref: `#/components/schemas/${name}` } };
    }
    out.requestBody = { content };
  }
  const validatorNode = get(p, 'RequestValidatorId');
  if (validatorNode) {
    const name = parts.validators.get(referenced(validatorNode)?.id ?? '');
    if (name === undefined) {
      ctx.issues.error(`${m.logicalId}: RequestValidatorId is !Ref an AWS::ApiGateway::RequestValidator of the same API`, validatorNode.path, validatorNode.loc);
      return undefined;
    }
    out['x-amazon-apigateway-request-validator'] = name;
  }
  const operationName = get(p, 'OperationName');
  if (operationName) out.operationId = operationName;
  return out;
}

/** The API's usage plan (and the key in it) as SAM's Auth.UsagePlan; the raw plan, key and link are dropped. */
export function usagePlanAuth(ctx: TranslateContext, api: RawResource, out: Translation): Record<string, unknown> | undefined {
  const id = api.logicalId;
  const plans = [...ctx.raw.values()].filter((r) => r.type === RAW_USAGE_PLAN && stagesOf(r).some((s) => referenced(get(s, 'ApiId'))?.id === id));
  let auth: Record<string, unknown> | undefined;
  for (const plan of plans) {
    const others = stagesOf(plan).filter((s) => referenced(get(s, 'ApiId'))?.id !== id);
    const throttled = stagesOf(plan).filter((s) => { const t = get(s, 'Throttle'); return t?.kind === 'map' && t.entries.length > 0; });
    if (auth || others.length || throttled.length) {
      const why = auth ? `${id} has another usage plan` : others.length ? 'it lists the stages of more than one API' : 'it throttles methods of the stage (ApiStages Throttle)';
      ctx.issues.error(`${plan.logicalId} can't be deployed: ${why}; stagecraft deploy gives a REST API one usage plan of its own`, plan.path, plan.loc);
      continue;
    }
    const links = [...ctx.raw.values()].filter((r) => r.type === RAW_USAGE_PLAN_KEY && referenced(get(r.properties, 'UsagePlanId'))?.id === plan.logicalId);
    const keys = links.map((l) => ctx.raw.get(referenced(get(l.properties, 'KeyId'))?.id ?? '')).filter((k): k is RawResource => k?.type === RAW_API_KEY);
    if (links.length > 1 || keys.length !== links.length) {
      ctx.issues.error(`${plan.logicalId} can't be deployed: stagecraft deploy gives a usage plan one API key (an AWS::ApiGateway::ApiKey of the stack)`, plan.path, plan.loc);
      continue;
    }
    for (const key of keys) {
      const value = get(key.properties, 'Value');
      if (value) ctx.issues.error(`${key.logicalId}: an API key's Value can't be chosen here; leave it out (the deploy shows the key it generates)`, value.path, value.loc);
      if (get(key.properties, 'Name')) ctx.issues.warn(`${key.logicalId}: the key is named as SAM names a usage plan's key ({stack}-${id}ApiKey), not by its Name`, `${key.path}.Properties.Name`, key.loc);
      out.dropped.add(key.logicalId);
      out.rewrites.set(key.logicalId, { ref: build({ Ref: `${id}.ApiKey` }, key.path, key.loc), dependsOn: id });
    }
    for (const link of links) {
      out.dropped.add(link.logicalId);
      out.rewrites.set(link.logicalId, { dependsOn: id });
    }
    out.dropped.add(plan.logicalId);
    out.rewrites.set(plan.logicalId, { ref: build({ Ref: `${id}.UsagePlan` }, plan.path, plan.loc), dependsOn: id });
    const p = plan.properties;
    auth = {
      UsagePlan: {
        CreateUsagePlan: 'PER_API', UsagePlanName: get(p, 'UsagePlanName'), Description: get(p, 'Description'),
        Quota: get(p, 'Quota'), Throttle: get(p, 'Throttle'), Tags: tagMap(get(p, 'Tags')),
      },
    };
  }
  return auth;
}

function stagesOf(plan: RawResource): MapNode[] {
  const stages = get(plan.properties, 'ApiStages');
  return stages?.kind === 'seq' ? stages.items.filter((s): s is MapNode => s.kind === 'map') : [];
}
