// What a synthesized CDK RestApi says about who may call its methods and what they accept, folded
// into the API's OpenAPI document as API Gateway imports it: each AWS::ApiGateway::Authorizer as a
// security scheme with x-amazon-apigateway-authorizer, ApiKeyRequired as the `api_key` scheme, each
// AWS::ApiGateway::Model as a schema of components.schemas, each AWS::ApiGateway::RequestValidator
// in x-amazon-apigateway-request-validators; AWS_IAM methods as the `sigv4` scheme. Usage plans and
// API keys stay as they are: the deploy makes them (template-usage-plans.ts).
import { get, type TNode } from './source.js';
import { build, referenced, scalarString, stackArnParts, type RawResource, type TranslateContext, type Translation } from './cdk-nodes.js';

const RAW_AUTHORIZER = 'AWS::ApiGateway::Authorizer';
const RAW_MODEL = 'AWS::ApiGateway::Model';
const RAW_VALIDATOR = 'AWS::ApiGateway::RequestValidator';
/** The security scheme API Gateway exports for methods that need an API key. */
const API_KEY_SCHEME = 'api_key';
/** The security scheme API Gateway exports for AWS_IAM methods (SigV4-signed requests). */
export const SIGV4_SCHEME = 'sigv4';
export const SIGV4_SCHEME_OBJECT = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };

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
  const methods = ofApi(ctx, 'AWS::ApiGateway::Method', api.logicalId);
  if (methods.some((m) => isTrue(get(m.properties, 'ApiKeyRequired')))) schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  if (methods.some((m) => scalarString(get(m.properties, 'AuthorizationType')) === 'AWS_IAM')) schemes[SIGV4_SCHEME] = SIGV4_SCHEME_OBJECT;
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
  } else if (authorization === 'AWS_IAM') {
    requirement[SIGV4_SCHEME] = [];
  } else if (authorization !== 'NONE') {
    ctx.issues.error(`${m.logicalId}: AuthorizationType is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS, got ${authorization}`, `${m.path}.Properties.AuthorizationType`, m.loc);
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
