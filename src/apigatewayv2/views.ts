// Stored HTTP API records as ApiGatewayV2 answers them (the engine writes the camelCase wire names).
import type { RequestContext } from '../aws/request-context.js';
import type { Api, Authorizer, Deployment, Integration, IntegrationResponse, Model, Route, RouteResponse, RouteSettings, Stage } from '../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, HttpAuthorizerRecord, HttpDeploymentRecord, HttpModelRecord, HttpStageRecord, IntegrationRecord, IntegrationResponseRecord, RouteRecord, RouteResponseRecord } from '../store/httpapi-store.js';

/**
 * `http://{apiId}.execute-api.localhost:{port}` (`ws://…` for WebSocket APIs, as AWS answers `wss://…`): the invoke host
 * on the port the caller reached us on.
 */
export function apiEndpoint(ctx: Pick<RequestContext, 'baseUrl'>, apiId: string, protocol: HttpApiRecord['protocolType'] = 'HTTP'): string {
  let port = '';
  try {
    port = new URL(ctx.baseUrl).port;
  } catch {
    // a Host header that is no URL: no port
  }
  return `${protocol === 'WEBSOCKET' ? 'ws' : 'http'}://${apiId}.execute-api.localhost${port ? `:${port}` : ''}`;
}

export const apiView = (ctx: Pick<RequestContext, 'baseUrl'>, a: HttpApiRecord): Api => ({
  ApiEndpoint: apiEndpoint(ctx, a.apiId, a.protocolType),
  ApiId: a.apiId,
  ApiKeySelectionExpression: a.apiKeySelectionExpression,
  CorsConfiguration: a.corsConfiguration,
  CreatedDate: new Date(a.createdDate),
  Description: a.description,
  DisableSchemaValidation: a.disableSchemaValidation,
  DisableExecuteApiEndpoint: a.disableExecuteApiEndpoint,
  IpAddressType: a.ipAddressType,
  Name: a.name,
  ProtocolType: a.protocolType,
  RouteSelectionExpression: a.routeSelectionExpression,
  Tags: a.tags,
  Version: a.version,
});

export const routeView = (r: RouteRecord): Route => ({
  ApiGatewayManaged: r.apiGatewayManaged,
  ApiKeyRequired: r.apiKeyRequired,
  AuthorizationScopes: r.authorizationScopes,
  AuthorizationType: r.authorizationType,
  AuthorizerId: r.authorizerId,
  OperationName: r.operationName,
  RouteId: r.routeId,
  RouteKey: r.routeKey,
  RouteResponseSelectionExpression: r.routeResponseSelectionExpression,
  ModelSelectionExpression: r.modelSelectionExpression,
  RequestModels: r.requestModels,
  RequestParameters: r.requestParameters && Object.fromEntries(Object.entries(r.requestParameters).map(([k, v]) => [k, { Required: v.required }])),
  Target: r.target,
});

export const modelView = (m: HttpModelRecord): Model => ({
  ContentType: m.contentType,
  Description: m.description,
  ModelId: m.modelId,
  Name: m.name,
  Schema: m.schema,
});

export const routeResponseView = (r: RouteResponseRecord): RouteResponse => ({
  ModelSelectionExpression: r.modelSelectionExpression,
  ResponseModels: r.responseModels,
  RouteResponseId: r.routeResponseId,
  RouteResponseKey: r.routeResponseKey,
});

export const integrationView = (i: IntegrationRecord): Integration => ({
  ApiGatewayManaged: i.apiGatewayManaged,
  ConnectionId: i.connectionId,
  ConnectionType: i.connectionType,
  ContentHandlingStrategy: i.contentHandlingStrategy,
  CredentialsArn: i.credentialsArn,
  Description: i.description,
  IntegrationId: i.integrationId,
  IntegrationMethod: i.integrationMethod,
  IntegrationType: i.integrationType,
  IntegrationUri: i.integrationUri,
  PassthroughBehavior: i.passthroughBehavior,
  PayloadFormatVersion: i.payloadFormatVersion,
  RequestParameters: i.requestParameters,
  RequestTemplates: i.requestTemplates,
  ResponseParameters: i.responseParameters,
  TemplateSelectionExpression: i.templateSelectionExpression,
  TimeoutInMillis: i.timeoutInMillis,
  TlsConfig: i.tlsConfig && { ServerNameToVerify: i.tlsConfig.serverNameToVerify },
});

export const integrationResponseView = (r: IntegrationResponseRecord): IntegrationResponse => ({
  ContentHandlingStrategy: r.contentHandlingStrategy,
  IntegrationResponseId: r.integrationResponseId,
  IntegrationResponseKey: r.integrationResponseKey,
  ResponseParameters: r.responseParameters,
  ResponseTemplates: r.responseTemplates,
  TemplateSelectionExpression: r.templateSelectionExpression,
});

const settingsView = (s: HttpStageRecord['defaultRouteSettings']): RouteSettings => ({
  DetailedMetricsEnabled: s.detailedMetricsEnabled, ThrottlingBurstLimit: s.throttlingBurstLimit, ThrottlingRateLimit: s.throttlingRateLimit,
  LoggingLevel: s.loggingLevel, DataTraceEnabled: s.dataTraceEnabled,
});

export const stageView = (s: HttpStageRecord): Stage => ({
  AccessLogSettings: s.accessLogSettings && { DestinationArn: s.accessLogSettings.destinationArn, Format: s.accessLogSettings.format },
  ApiGatewayManaged: s.apiGatewayManaged,
  AutoDeploy: s.autoDeploy,
  CreatedDate: new Date(s.createdDate),
  DefaultRouteSettings: settingsView(s.defaultRouteSettings),
  DeploymentId: s.deploymentId,
  Description: s.description,
  LastDeploymentStatusMessage: s.lastDeploymentStatusMessage,
  LastUpdatedDate: new Date(s.lastUpdatedDate),
  RouteSettings: Object.fromEntries(Object.entries(s.routeSettings).map(([k, v]) => [k, settingsView({ detailedMetricsEnabled: false, ...v })])),
  StageName: s.stageName,
  StageVariables: s.stageVariables,
  Tags: s.tags,
});

export const deploymentView = (d: HttpDeploymentRecord): Deployment => ({
  AutoDeployed: d.autoDeployed,
  CreatedDate: new Date(d.createdDate),
  DeploymentId: d.deploymentId,
  DeploymentStatus: 'DEPLOYED',
  Description: d.description,
});

export const authorizerView = (a: HttpAuthorizerRecord): Authorizer => ({
  AuthorizerCredentialsArn: a.authorizerCredentialsArn,
  AuthorizerId: a.authorizerId,
  AuthorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
  AuthorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
  AuthorizerType: a.authorizerType,
  AuthorizerUri: a.authorizerUri,
  EnableSimpleResponses: a.enableSimpleResponses,
  IdentitySource: a.identitySource,
  JwtConfiguration: a.jwtConfiguration && { Audience: a.jwtConfiguration.audience, Issuer: a.jwtConfiguration.issuer },
  Name: a.name,
});
