// PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration and the integration
// responses (Put/Get/Update/DeleteIntegrationResponse). The integration lives inside its method
// record, so a deployment freezes method and integration together.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { AwsError } from '../../core/errors.js';
import type { Integration, IntegrationResponse, Operations } from '../../aws/generated/apigateway.js';
import type { MethodRecord } from '../../store/apigateway-store.js';
import {
  HTTP_METHODS, badRequest, integrationNotFound, invalidContentType, invalidHttpMethod, invalidMappingExpression, invalidMappingParameter,
  invalidPatchPath, responseNotFound,
} from '../errors.js';
import { pathSegments, withoutKey } from '../patch.js';
import { requireMethod, withApiLock, type Deps } from './context.js';
import { checkVpcLinkReference } from './vpc-links.js';

export const INTEGRATION_TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'] as const;
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];
const MIN_TIMEOUT = 50;
const MAX_TIMEOUT = 29000;
/** A streamed response may last 15 minutes, and so may its integration's timeout. */
const MAX_STREAM_TIMEOUT = 900_000;
const TRANSFER_MODES = ['BUFFERED', 'STREAM'];
const INTEGRATION_REQUEST_PARAMETER = /^integration\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.\S+$/;
const METHOD_REQUEST_REFERENCE = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.\S+$/;
const INTEGRATION_RESPONSE_PARAMETER = /^method\.response\.header\.\S+$/;
const CONTENT_TYPE = /^[^\s/]+\/[^\s/]+$/;
const anyOp = () => badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");

/** Stage variables may stand anywhere in a URI; validate with a placeholder in their place. */
const withoutStageVariables = (uri: string) => uri.replace(/\$\{stageVariables\.[A-Za-z0-9_.-]+\}/g, 'stagevar');

/** AWS's checks of an integration's URI for its type. */
function checkUri(type: string, uri: string | undefined): void {
  if (type === 'MOCK') return;
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    let url: URL | undefined;
    try {
      url = uri ? new URL(withoutStageVariables(uri)) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw badRequest('Invalid HTTP endpoint specified for URI');
    return;
  }
  // AWS and AWS_PROXY: arn:aws:apigateway:{region}:{service}:{path|action}/{...}
  const parts = (uri ?? '').split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2] || !parts[4]) throw badRequest('Invalid ARN specified in the request');
  const target = parts.slice(5).join(':');
  if (parts[2] !== 'apigateway' || !/^(path|action)\/./.test(target)) throw badRequest('AWS ARN for integration must contain path or action');
  if (type === 'AWS_PROXY') {
    const service = parts[4].split('.').pop();
    // InvokeWithResponseStream's path (response streaming) names the function as Invoke's does.
    const lambda = /^path\/(?:2015-03-31\/functions\/(.+)\/invocations|2021-11-15\/functions\/(.+)\/response-streaming-invocations)$/.exec(target);
    const fn = lambda && (lambda[1] ?? lambda[2]);
    const lambdaTarget = fn && (/^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/]+$/.test(withoutStageVariables(fn)) || fn.includes('${stageVariables.'));
    const firehose = target.startsWith('action/');
    if (!((service === 'lambda' && lambdaTarget) || (service === 'firehose' && firehose))) {
      throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
    }
  }
}

function checkMappings(integration: Integration, method: MethodRecord): void {
  for (const [key, value] of Object.entries(integration.requestParameters ?? {})) {
    if (!INTEGRATION_REQUEST_PARAMETER.test(key)) throw invalidMappingExpression(key);
    if (METHOD_REQUEST_REFERENCE.test(value) && !(value in (method.requestParameters ?? {}))) throw invalidMappingParameter(value);
  }
  for (const contentType of Object.keys(integration.requestTemplates ?? {})) if (!CONTENT_TYPE.test(contentType)) throw invalidContentType(contentType);
}

/** Checks an integration as PutIntegration and UpdateIntegration leave it. */
export function checkIntegration(integration: Integration, method: MethodRecord): void {
  const type = integration.type!;
  if (type !== 'MOCK' && !integration.httpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (integration.httpMethod !== undefined && !(HTTP_METHODS as readonly string[]).includes(integration.httpMethod)) throw invalidHttpMethod();
  checkUri(type, integration.uri);
  if (integration.connectionType === 'VPC_LINK' && !integration.connectionId) {
    throw badRequest('ConnectionId required for integrations of connection type VPC_LINK');
  }
  const mode = integration.responseTransferMode;
  if (mode !== undefined && !TRANSFER_MODES.includes(mode)) throw badRequest(`Invalid response transfer mode specified. Valid options are ${TRANSFER_MODES.join(',')}`);
  if (mode === 'STREAM' && type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') throw badRequest('Response transfer mode STREAM is only supported for HTTP_PROXY and AWS_PROXY integrations');
  const timeout = integration.timeoutInMillis!;
  const maxTimeout = mode === 'STREAM' ? MAX_STREAM_TIMEOUT : MAX_TIMEOUT;
  if (timeout < MIN_TIMEOUT || timeout > maxTimeout) throw badRequest(`Timeout should be between ${MIN_TIMEOUT} ms and ${maxTimeout} ms`);
  if (!PASSTHROUGH.includes(integration.passthroughBehavior!)) {
    throw badRequest(`Invalid passthrough behavior specified. Valid options are ${PASSTHROUGH.join(',')}`);
  }
  if (integration.contentHandling !== undefined && !CONTENT_HANDLING.includes(integration.contentHandling)) {
    throw badRequest(`Invalid content handling specified. Valid options are ${CONTENT_HANDLING.join(',')}`);
  }
  checkMappings(integration, method);
}

export function checkIntegrationResponse(response: IntegrationResponse): void {
  for (const key of Object.keys(response.responseParameters ?? {})) if (!INTEGRATION_RESPONSE_PARAMETER.test(key)) throw invalidMappingExpression(key);
  for (const contentType of Object.keys(response.responseTemplates ?? {})) if (!CONTENT_TYPE.test(contentType)) throw invalidContentType(contentType);
  if (response.contentHandling !== undefined && !CONTENT_HANDLING.includes(response.contentHandling)) {
    throw badRequest(`Invalid content handling specified. Valid options are ${CONTENT_HANDLING.join(',')}`);
  }
}

/** The method and its integration; AWS answers "Invalid Integration identifier specified" when the method has none. */
async function requireIntegration(deps: Deps, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, missingMethod?: () => AwsError) {
  const found = await requireMethod(deps, ctx, apiId, resourceId, httpMethod.toUpperCase(), missingMethod);
  const integration = found.method.methodIntegration;
  if (!integration) throw integrationNotFound();
  return { ...found, integration };
}

const nonEmpty = <T extends object>(map: T | undefined): T | undefined => (map && Object.keys(map).length ? map : undefined);

export function integrationHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async PutIntegration(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        const type = input.type;
        const integration: Integration = { type };
        if (input.integrationHttpMethod !== undefined) integration.httpMethod = input.integrationHttpMethod.toUpperCase();
        // AWS keeps no URI for MOCK integrations (recorded).
        if (type !== 'MOCK' && input.uri !== undefined) integration.uri = input.uri;
        if (type === 'HTTP' || type === 'HTTP_PROXY') integration.connectionType = input.connectionType ?? 'INTERNET';
        else if (input.connectionType !== undefined) integration.connectionType = input.connectionType;
        if (input.connectionId !== undefined) integration.connectionId = input.connectionId;
        if (input.credentials !== undefined) integration.credentials = input.credentials;
        const requestParameters = nonEmpty(input.requestParameters);
        if (requestParameters) integration.requestParameters = requestParameters;
        const requestTemplates = nonEmpty(input.requestTemplates);
        if (requestTemplates) integration.requestTemplates = requestTemplates;
        integration.passthroughBehavior = input.passthroughBehavior ?? 'WHEN_NO_MATCH';
        if (input.contentHandling !== undefined) integration.contentHandling = input.contentHandling;
        integration.timeoutInMillis = input.timeoutInMillis ?? MAX_TIMEOUT;
        integration.cacheNamespace = input.cacheNamespace ?? resource.id;
        integration.cacheKeyParameters = input.cacheKeyParameters ?? [];
        if (input.tlsConfig !== undefined) integration.tlsConfig = input.tlsConfig;
        if (input.responseTransferMode !== undefined) integration.responseTransferMode = input.responseTransferMode;
        checkIntegration(integration, method);
        await checkVpcLinkReference(deps, ctx, integration);
        // Re-putting an integration keeps the integration responses already defined for it.
        const responses = method.methodIntegration?.integrationResponses;
        method.methodIntegration = responses ? { ...integration, integrationResponses: responses } : integration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return method.methodIntegration;
      });
    },

    async GetIntegration(input, ctx) {
      return (await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod)).integration;
    },

    async UpdateIntegration(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method, integration: current } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod);
        const integration = structuredClone(current);
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          const [field, key] = segments ?? [];
          const shape = segments?.length === 1 ? field : segments?.length === 2 ? `${field}/*` : segments?.join('/');
          switch (shape) {
            case 'uri':
            case 'httpMethod':
            case 'credentials':
            case 'connectionId':
            case 'cacheNamespace':
            case 'passthroughBehavior':
            case 'connectionType':
            case 'contentHandling':
            case 'responseTransferMode': {
              if (op.op !== 'replace' && op.op !== 'remove' && op.op !== 'add') throw anyOp();
              const target = integration as Record<string, unknown>;
              if (op.op === 'remove' || op.value === undefined || op.value === '') delete target[field];
              else target[field] = field === 'httpMethod' ? op.value.toUpperCase() : op.value;
              break;
            }
            case 'timeoutInMillis':
              if (op.op !== 'replace') throw badRequest('Invalid patch operation specified. Must be one of: [replace]');
              if (!/^\d+$/.test(op.value ?? '')) throw badRequest(`Timeout should be between ${MIN_TIMEOUT} ms and ${MAX_TIMEOUT} ms`);
              integration.timeoutInMillis = Number(op.value);
              break;
            case 'requestParameters/*':
            case 'requestTemplates/*': {
              const name = field as 'requestParameters' | 'requestTemplates';
              if (op.op === 'remove') integration[name] = withoutKey(integration[name], key);
              else if (op.op === 'add' || op.op === 'replace') integration[name] = { ...integration[name], [key]: op.value ?? '' };
              else throw anyOp();
              if (!integration[name]) delete integration[name];
              break;
            }
            case 'cacheKeyParameters/*': {
              const params = integration.cacheKeyParameters ?? [];
              if (op.op === 'add') integration.cacheKeyParameters = params.includes(key) ? params : [...params, key];
              else if (op.op === 'remove') integration.cacheKeyParameters = params.filter((p) => p !== key);
              else throw anyOp();
              break;
            }
            case 'tlsConfig/insecureSkipVerification':
              integration.tlsConfig = { ...integration.tlsConfig, insecureSkipVerification: op.value === 'true' };
              break;
            default:
              throw invalidPatchPath(op.path);
          }
        }
        integration.passthroughBehavior ??= 'WHEN_NO_MATCH';
        if ((integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') && !integration.connectionType) integration.connectionType = 'INTERNET';
        checkIntegration(integration, method);
        await checkVpcLinkReference(deps, ctx, integration);
        method.methodIntegration = integration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return integration;
      });
    },

    async DeleteIntegration(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod);
        delete method.methodIntegration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
      });
    },

    async PutIntegrationResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method, integration } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod);
        const response: IntegrationResponse = { statusCode: input.statusCode };
        if (input.selectionPattern !== undefined) response.selectionPattern = input.selectionPattern;
        if (input.responseParameters) response.responseParameters = input.responseParameters;
        if (input.responseTemplates) response.responseTemplates = input.responseTemplates;
        if (input.contentHandling !== undefined) response.contentHandling = input.contentHandling;
        checkIntegrationResponse(response);
        integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode]: response };
        method.methodIntegration = integration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return response;
      });
    },

    async GetIntegrationResponse(input, ctx) {
      const { integration } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod);
      const response = integration.integrationResponses?.[input.statusCode];
      if (!response) throw responseNotFound();
      return response;
    },

    async UpdateIntegrationResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method, integration } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod);
        const current = integration.integrationResponses?.[input.statusCode];
        if (!current) throw responseNotFound();
        const response = structuredClone(current);
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          const [field, key] = segments ?? [];
          if (segments?.length === 1 && (field === 'selectionPattern' || field === 'contentHandling')) {
            if (op.op === 'remove' || op.value === undefined) delete response[field];
            else if (op.op === 'replace' || op.op === 'add') response[field] = op.value as never;
            else throw anyOp();
          } else if (segments?.length === 2 && (field === 'responseParameters' || field === 'responseTemplates')) {
            if (op.op === 'remove') response[field] = withoutKey(response[field], key);
            else if (op.op === 'add' || op.op === 'replace') response[field] = { ...response[field], [key]: op.value ?? '' };
            else throw anyOp();
            if (!response[field]) delete response[field];
          } else {
            throw invalidPatchPath(op.path);
          }
        }
        checkIntegrationResponse(response);
        integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode]: response };
        method.methodIntegration = integration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return response;
      });
    },

    async DeleteIntegrationResponse(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        const { resource, method, integration } = await requireIntegration(deps, ctx, input.restApiId, input.resourceId, input.httpMethod, integrationNotFound);
        if (!integration.integrationResponses?.[input.statusCode]) throw responseNotFound();
        integration.integrationResponses = withoutKey(integration.integrationResponses, input.statusCode);
        if (!integration.integrationResponses) delete integration.integrationResponses;
        method.methodIntegration = integration;
        await deps.store.putMethod(input.restApiId, resource.id, method);
      });
    },
  };
}
