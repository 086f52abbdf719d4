// A WebSocket API's integration as CreateIntegration/UpdateIntegration make it: a Lambda proxy
// integration (AWS_PROXY), a Lambda function without the proxy (AWS, through API Gateway's
// invocation URI), an HTTP endpoint (HTTP_PROXY, or HTTP with mapping templates) or no backend
// (MOCK). Non-proxy integrations take request templates chosen by the template selection expression,
// and request parameters; AWS's limits apply (timeout 50 ms to 29 s).
import type { CreateIntegrationRequest } from '../aws/generated/apigatewayv2.js';
import type { IntegrationRecord } from '../store/httpapi-store.js';
import { badRequest } from '../apigateway/errors.js';
import { requestParameterProblem } from './websocket-mapping.js';

/** WebSocket APIs' integration timeout: at most, and by default, 29 seconds. */
const WEBSOCKET_TIMEOUT_MS = 29_000;
const TYPES = new Set(['AWS_PROXY', 'AWS', 'HTTP', 'HTTP_PROXY', 'MOCK']);
const PASSTHROUGH = new Set(['WHEN_NO_MATCH', 'NEVER', 'WHEN_NO_TEMPLATES']);
const CONTENT_HANDLING = new Set(['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']);
/** API Gateway's invocation URI for a Lambda function (the only AWS service integration Stagecraft calls). */
const LAMBDA_INVOCATION_URI = /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/\d{4}-\d{2}-\d{2}\/functions\/.+\/invocations$/;

export type WebSocketIntegrationInput = Omit<CreateIntegrationRequest, 'ApiId' | 'IntegrationType'> & { IntegrationType?: CreateIntegrationRequest['IntegrationType'] };

function checkUri(type: IntegrationRecord['integrationType'], uri: string | undefined): void {
  if (type === 'MOCK') return;
  if (!uri) throw badRequest(`Integration URI is required for ${type} integrations.`);
  if ((type === 'HTTP' || type === 'HTTP_PROXY') && !/^https?:\/\//i.test(uri)) throw badRequest(`Invalid integration URI specified ${uri}: ${type} integrations need an http or https URL`);
  if (type === 'AWS' && !LAMBDA_INVOCATION_URI.test(uri.replace(/\$\{stageVariables\.[^}]+\}/g, 'x'))) {
    throw badRequest(`Invalid integration URI specified ${uri}: Stagecraft calls Lambda functions only (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations)`);
  }
}

function checkRequestParameters(params: Record<string, string> | undefined): void {
  for (const [target, source] of Object.entries(params ?? {})) {
    const problem = requestParameterProblem(target, source);
    if (problem) throw badRequest(problem);
  }
}

/** The integration `input` makes of `base` (empty for a new one), checked as AWS checks WebSocket API integrations. */
export function websocketIntegrationFrom(id: string, base: Partial<IntegrationRecord>, input: WebSocketIntegrationInput): IntegrationRecord {
  const type = input.IntegrationType ?? base.integrationType;
  if (!type || !TYPES.has(type)) throw badRequest(`Integration type ${type} is not supported for WebSocket APIs.`);
  if (input.ResponseParameters !== undefined) throw badRequest('ResponseParameters are supported only for HTTP APIs.');
  if (input.ConnectionType === 'VPC_LINK' || input.ConnectionId !== undefined) throw badRequest('Private integrations (VPC links) are not supported by Stagecraft yet.');
  if (input.IntegrationSubtype !== undefined) throw badRequest('IntegrationSubtype is supported only for HTTP APIs.');
  const uri = input.IntegrationUri ?? base.integrationUri;
  checkUri(type, uri);
  const format = input.PayloadFormatVersion ?? base.payloadFormatVersion ?? '1.0';
  if (format !== '1.0') throw badRequest(`Unsupported payload format version ${format}. WebSocket APIs support only 1.0`);
  const timeout = input.TimeoutInMillis ?? base.timeoutInMillis ?? WEBSOCKET_TIMEOUT_MS;
  if (timeout < 50 || timeout > WEBSOCKET_TIMEOUT_MS) throw badRequest('Timeout must be between 50 ms and 29000 ms');
  const passthrough = input.PassthroughBehavior ?? base.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (!PASSTHROUGH.has(passthrough)) throw badRequest(`Invalid passthrough behavior ${passthrough}: WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER`);
  const contentHandling = input.ContentHandlingStrategy ?? base.contentHandlingStrategy;
  if (contentHandling !== undefined && !CONTENT_HANDLING.has(contentHandling)) throw badRequest(`Invalid content handling strategy ${contentHandling}: CONVERT_TO_BINARY or CONVERT_TO_TEXT`);
  checkRequestParameters(input.RequestParameters);
  const record: IntegrationRecord = {
    integrationId: id, integrationType: type, payloadFormatVersion: format, timeoutInMillis: timeout, connectionType: 'INTERNET', passthroughBehavior: passthrough,
  };
  if (uri !== undefined && type !== 'MOCK') record.integrationUri = uri;
  if (type !== 'MOCK') record.integrationMethod = (input.IntegrationMethod ?? base.integrationMethod ?? 'POST').toUpperCase();
  const optional = {
    description: input.Description ?? base.description,
    credentialsArn: input.CredentialsArn ?? base.credentialsArn,
    requestParameters: input.RequestParameters ?? base.requestParameters,
    requestTemplates: input.RequestTemplates ?? base.requestTemplates,
    templateSelectionExpression: input.TemplateSelectionExpression ?? base.templateSelectionExpression,
    contentHandlingStrategy: contentHandling,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(record, { [k]: v });
  return record;
}
