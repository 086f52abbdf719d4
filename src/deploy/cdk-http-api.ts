// A synthesized CDK HttpApi as the AWS::Serverless::HttpApi the deploy already runs: the
// AWS::ApiGatewayV2::Route resources and the AWS::ApiGatewayV2::Integration each targets become one
// OpenAPI document (x-amazon-apigateway-integration per route), the AWS::ApiGatewayV2::Stage gives
// StageName and its settings; each AWS::ApiGatewayV2::Authorizer is a security scheme of the
// document (x-amazon-apigateway-authorizer), named by the routes it guards; AWS_IAM routes name the
// `sigv4` scheme. WebSocket APIs are left as they are (skipped with a warning).
import { referencedNames } from './intrinsics.js';
import { get, type TNode } from './source.js';
import {
  build, emptyTranslation, passThrough, referenced, samResource, scalarString, stackArnParts,
  type RawResource, type TranslateContext, type Translation,
} from './cdk-nodes.js';
import { HTTP_API_TYPE } from './spec.js';
import { SIGV4_SCHEME, SIGV4_SCHEME_OBJECT } from './cdk-rest-auth.js';

export const RAW_HTTP_API = 'AWS::ApiGatewayV2::Api';
const RAW_INTEGRATION = 'AWS::ApiGatewayV2::Integration';
const RAW_ROUTE = 'AWS::ApiGatewayV2::Route';
const RAW_STAGE = 'AWS::ApiGatewayV2::Stage';
const RAW_AUTHORIZER = 'AWS::ApiGatewayV2::Authorizer';

const API_SAME_NAME = ['Name', 'Description', 'DisableExecuteApiEndpoint', 'CorsConfiguration', 'Tags'];
const STAGE_SAME_NAME = ['StageName', 'StageVariables', 'DefaultRouteSettings', 'RouteSettings', 'AccessLogSettings'];

export function translateHttpApis(ctx: TranslateContext): Translation {
  const out = emptyTranslation();
  for (const raw of ctx.raw.values()) {
    if (raw.type === RAW_HTTP_API && (scalarString(get(raw.properties, 'ProtocolType')) ?? 'HTTP') === 'HTTP') translateHttpApi(ctx, raw, out);
  }
  return out;
}

function ofApi(ctx: TranslateContext, type: string, apiId: string): RawResource[] {
  return [...ctx.raw.values()].filter((r) => r.type === type && referenced(get(r.properties, 'ApiId'))?.id === apiId);
}

function translateHttpApi(ctx: TranslateContext, api: RawResource, out: Translation): void {
  const id = api.logicalId;
  const props: Record<string, unknown> = passThrough(api.properties, API_SAME_NAME);
  const integrations = new Map(ofApi(ctx, RAW_INTEGRATION, id).map((i) => [i.logicalId, i]));
  const routes = ofApi(ctx, RAW_ROUTE, id);
  const body = get(api.properties, 'Body');
  // The API's Name is merged into the document as its info.title.
  const info = props.Name ? { version: '1.0' } : { title: id, version: '1.0' };
  if (body) {
    props.DefinitionBody = body;
  } else {
    const authorizers = ofApi(ctx, RAW_AUTHORIZER, id);
    const schemes: Record<string, unknown> = {};
    for (const a of authorizers) {
      const scheme = securityScheme(ctx, a);
      if (scheme) schemes[authorizerName(a)] = scheme;
      out.dropped.add(a.logicalId);
      // Ref gives the authorizer's ID, known only once the document is imported: permissions that name it admit any authorizer of the API.
      out.rewrites.set(a.logicalId, { ref: build('*', a.path, a.loc), dependsOn: id });
    }
    if (routes.some((r) => scalarString(get(r.properties, 'AuthorizationType')) === 'AWS_IAM')) schemes[SIGV4_SCHEME] = SIGV4_SCHEME_OBJECT;
    const components = Object.keys(schemes).length ? { components: { securitySchemes: schemes } } : {};
    props.DefinitionBody = { openapi: '3.0.1', info, paths: paths(ctx, routes, integrations, new Map(authorizers.map((a) => [a.logicalId, a]))), ...components };
  }
  for (const r of [...integrations.values(), ...routes]) {
    out.dropped.add(r.logicalId);
    out.rewrites.set(r.logicalId, { dependsOn: id });
  }
  const [stage, ...others] = ofApi(ctx, RAW_STAGE, id);
  for (const s of others) {
    ctx.issues.warn(`${s.logicalId} (${RAW_STAGE}) is not deployed: stagecraft deploy gives ${id} one stage`, s.path, s.loc);
    out.dropped.add(s.logicalId);
    out.rewrites.set(s.logicalId, { ref: get(s.properties, 'StageName'), dependsOn: id });
  }
  if (stage) {
    Object.assign(props, passThrough(stage.properties, STAGE_SAME_NAME));
    out.dropped.add(stage.logicalId);
    out.rewrites.set(stage.logicalId, { ref: get(stage.properties, 'StageName'), dependsOn: id });
  }
  const endpoint = build({ 'Fn::Sub': `https://\${${id}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}` }, api.path, api.loc);
  out.rewrites.set(id, { attributes: { ApiEndpoint: endpoint, ApiId: build({ Ref: id }, api.path, api.loc) } });
  out.resources.set(id, samResource(api, HTTP_API_TYPE, props));
}

/** Routes as OpenAPI paths: `GET /x` → paths['/x'].get, `$default` → paths['/$default'], ANY → x-amazon-apigateway-any-method. */
function paths(ctx: TranslateContext, routes: RawResource[], integrations: Map<string, RawResource>, authorizers: Map<string, RawResource>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const key = scalarString(get(r.properties, 'RouteKey'));
    const authorization = scalarString(get(r.properties, 'AuthorizationType')) ?? 'NONE';
    const target = get(r.properties, 'Target');
    const integration = target && [...referencedNames(target)].map((n) => integrations.get(n)).find(Boolean);
    if (!key || !integration) {
      ctx.issues.error(`${r.logicalId} needs a RouteKey and a Target (integrations/!Ref an AWS::ApiGatewayV2::Integration of the same API)`, r.path, r.loc);
      continue;
    }
    const operation: Record<string, unknown> = { responses: {}, 'x-amazon-apigateway-integration': integrationExtension(integration) };
    if (authorization === 'JWT' || authorization === 'CUSTOM') {
      const authorizer = authorizers.get(referenced(get(r.properties, 'AuthorizerId'))?.id ?? '');
      const type = authorizer && scalarString(get(authorizer.properties, 'AuthorizerType'));
      if (!authorizer || (type === 'JWT') !== (authorization === 'JWT')) {
        ctx.issues.error(`${r.logicalId}: AuthorizationType ${authorization} needs an AuthorizerId (!Ref an AWS::ApiGatewayV2::Authorizer of the same API, of type ${authorization === 'JWT' ? 'JWT' : 'REQUEST'})`, `${r.path}.Properties.AuthorizerId`, r.loc);
        continue;
      }
      operation.security = [{ [authorizerName(authorizer)]: get(r.properties, 'AuthorizationScopes') ?? [] }];
    } else if (authorization === 'AWS_IAM') {
      operation.security = [{ [SIGV4_SCHEME]: [] }];
    } else if (authorization !== 'NONE') {
      ctx.issues.error(`${r.logicalId}: AuthorizationType is NONE, AWS_IAM, JWT or CUSTOM, got ${authorization}`, `${r.path}.Properties.AuthorizationType`, r.loc);
      continue;
    }
    // The $default route is the document's /$default path (as API Gateway exports it).
    const [verb, path] = key === '$default' ? ['ANY', '/$default'] : key.split(' ');
    out[path] ??= {};
    out[path][verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = operation;
  }
  return out;
}

function integrationExtension(i: RawResource): Record<string, unknown> {
  const p = i.properties;
  const type = scalarString(get(p, 'IntegrationType'));
  const method: TNode | string | undefined = get(p, 'IntegrationMethod') ?? (type === 'AWS_PROXY' ? 'POST' : undefined);
  return {
    type: type?.toLowerCase() ?? get(p, 'IntegrationType'),
    httpMethod: method,
    uri: get(p, 'IntegrationUri'),
    payloadFormatVersion: get(p, 'PayloadFormatVersion'),
    timeoutInMillis: get(p, 'TimeoutInMillis'),
    requestParameters: get(p, 'RequestParameters'),
    connectionType: get(p, 'ConnectionType'),
    connectionId: get(p, 'ConnectionId'),
  };
}

function authorizerName(a: RawResource): string {
  return scalarString(get(a.properties, 'Name')) ?? a.logicalId;
}

/** A JWT or Lambda (REQUEST) authorizer as the security scheme API Gateway exports for it. */
function securityScheme(ctx: TranslateContext, a: RawResource): Record<string, unknown> | undefined {
  const p = a.properties;
  const type = scalarString(get(p, 'AuthorizerType'));
  const identitySource = get(p, 'IdentitySource');
  if (type === 'JWT') {
    const jwt = get(p, 'JwtConfiguration');
    const config = jwt?.kind === 'map' ? { issuer: get(jwt, 'Issuer'), audience: get(jwt, 'Audience') } : undefined;
    return { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource, jwtConfiguration: config } };
  }
  if (type !== 'REQUEST') {
    ctx.issues.error(`${a.logicalId}: AuthorizerType is JWT or REQUEST`, `${a.path}.Properties.AuthorizerType`, a.loc);
    return undefined;
  }
  const uri = get(p, 'AuthorizerUri');
  return {
    type: 'apiKey', name: 'Unused', in: 'header',
    'x-amazon-apigateway-authorizer': {
      type: 'request', identitySource, authorizerUri: uri && stackArnParts(ctx, uri), authorizerPayloadFormatVersion: get(p, 'AuthorizerPayloadFormatVersion'),
      enableSimpleResponses: get(p, 'EnableSimpleResponses'), authorizerResultTtlInSeconds: get(p, 'AuthorizerResultTtlInSeconds'),
      authorizerCredentials: get(p, 'AuthorizerCredentialsArn'),
    },
  };
}
