// PutMethod, GetMethod, UpdateMethod, DeleteMethod and the method responses
// (PutMethodResponse, GetMethodResponse, UpdateMethodResponse, DeleteMethodResponse).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { MethodResponse, Operations } from '../../aws/generated/apigateway.js';
import type { MethodRecord } from '../../store/apigateway-store.js';
import {
  HTTP_METHODS, badRequest, conflict, invalidAuthorizerId, invalidHttpMethod, invalidMappingExpression, invalidModelId, invalidPatchPath, invalidValidatorId,
  notFound, onlyReplace, responseNotFound,
} from '../errors.js';
import { parseBoolean, pathSegments, withoutKey } from '../patch.js';
import { requireMethod, requireResource, withApiLock, type Deps } from './context.js';

const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const REQUEST_PARAMETER = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(\S+)$/;
const RESPONSE_PARAMETER = /^method\.response\.header\.(\S+)$/;
const anyOp = () => badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");

/** Method names arrive in the URI; AWS accepts them in any case and stores them in upper case. */
export function normalizeHttpMethod(httpMethod: string): string {
  const upper = httpMethod.toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(upper)) throw invalidHttpMethod();
  return upper;
}

/** Every model named must be one of the API's. */
async function checkModels(deps: Deps, apiId: string, models: Record<string, string> | undefined): Promise<void> {
  for (const name of Object.values(models ?? {})) {
    if (!(await deps.store.getModel(apiId, name))) throw invalidModelId(name);
  }
}

/** The references a method makes to the API's request validator and models. */
async function checkMethodReferences(deps: Deps, apiId: string, method: MethodRecord): Promise<void> {
  if (method.requestValidatorId !== undefined && !(await deps.store.getRequestValidator(apiId, method.requestValidatorId))) throw invalidValidatorId();
  await checkModels(deps, apiId, method.requestModels);
}

function checkRequestParameters(parameters: Record<string, boolean> | undefined): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(parameters ?? {})) {
    const m = REQUEST_PARAMETER.exec(key);
    if (!m) throw invalidMappingExpression(key);
    const location = m[1].replace('multivalue', '');
    const earlier = seen.get(m[2]);
    if (earlier !== undefined && earlier !== location) throw badRequest('Parameter names must be unique across querystring, header and path');
    seen.set(m[2], location);
  }
}

const usesAuthorizer = (method: MethodRecord) => method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS';

/** CUSTOM needs one of the API's Lambda authorizers, COGNITO_USER_POOLS one of its Cognito ones. */
async function checkMethodAuthorizer(deps: Deps, apiId: string, method: MethodRecord): Promise<void> {
  if (!usesAuthorizer(method)) return;
  const authorizer = method.authorizerId ? await deps.store.getAuthorizer(apiId, method.authorizerId) : undefined;
  if (!authorizer || (method.authorizationType === 'CUSTOM') === (authorizer.type === 'COGNITO_USER_POOLS')) throw invalidAuthorizerId();
}

/** The rules PutMethod and UpdateMethod share; also drops an authorizer id AWS would ignore. */
export function finishMethod(method: MethodRecord): MethodRecord {
  if (!AUTHORIZATION_TYPES.includes(method.authorizationType!)) {
    throw badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
  }
  if (!usesAuthorizer(method)) delete method.authorizerId;
  if (method.requestValidatorId === '') delete method.requestValidatorId;
  checkRequestParameters(method.requestParameters);
  return method;
}

export function checkResponseParameters(parameters: Record<string, unknown> | undefined): void {
  for (const key of Object.keys(parameters ?? {})) if (!RESPONSE_PARAMETER.test(key)) throw invalidMappingExpression(key);
}

export function methodHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async PutMethod(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource } = await requireResource(deps, ctx, input.restApiId, input.resourceId);
        const httpMethod = normalizeHttpMethod(input.httpMethod);
        if (await deps.store.getMethod(input.restApiId, resource.id, httpMethod)) throw conflict('Method already exists for this resource');
        const method: MethodRecord = {
          httpMethod,
          authorizationType: input.authorizationType.toUpperCase(),
          apiKeyRequired: input.apiKeyRequired ?? false,
        };
        if (input.authorizerId !== undefined) method.authorizerId = input.authorizerId;
        if (input.requestValidatorId !== undefined) method.requestValidatorId = input.requestValidatorId;
        if (input.operationName !== undefined) method.operationName = input.operationName;
        if (input.requestParameters && Object.keys(input.requestParameters).length) method.requestParameters = input.requestParameters;
        if (input.requestModels && Object.keys(input.requestModels).length) method.requestModels = input.requestModels;
        if (input.authorizationScopes?.length) method.authorizationScopes = input.authorizationScopes;
        finishMethod(method);
        await checkMethodAuthorizer(deps, input.restApiId, method);
        await checkMethodReferences(deps, input.restApiId, method);
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return method;
      });
    },

    async GetMethod(input, ctx) {
      return (await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase())).method;
    },

    async UpdateMethod(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method: current } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        const method = structuredClone(current);
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          const [field, key] = segments ?? [];
          switch (segments?.length === 1 ? field : segments?.length === 2 ? `${field}/*` : undefined) {
            case 'operationName':
            case 'authorizationType':
            case 'authorizerId':
            case 'requestValidatorId':
              if (op.op !== 'replace') throw onlyReplace();
              if (op.value === undefined || op.value === '') delete method[field as 'operationName'];
              else method[field as 'operationName'] = field === 'authorizationType' ? op.value.toUpperCase() : op.value;
              break;
            case 'apiKeyRequired':
              if (op.op !== 'replace') throw onlyReplace();
              method.apiKeyRequired = parseBoolean(op.value);
              break;
            case 'requestParameters/*':
              if (op.op === 'remove') method.requestParameters = withoutKey(method.requestParameters, key);
              else if (op.op === 'add' || op.op === 'replace') method.requestParameters = { ...method.requestParameters, [key]: parseBoolean(op.value) };
              else throw anyOp();
              break;
            case 'requestModels/*':
              if (op.op === 'remove') method.requestModels = withoutKey(method.requestModels, key);
              else if (op.op === 'add' || op.op === 'replace') method.requestModels = { ...method.requestModels, [key]: op.value ?? '' };
              else throw anyOp();
              break;
            case 'authorizationScopes': {
              const scopes = method.authorizationScopes ?? [];
              if (op.op === 'add') method.authorizationScopes = op.value && !scopes.includes(op.value) ? [...scopes, op.value] : scopes;
              else if (op.op === 'remove') method.authorizationScopes = scopes.filter((s) => s !== op.value);
              else throw anyOp();
              if (!method.authorizationScopes.length) delete method.authorizationScopes;
              break;
            }
            default:
              throw invalidPatchPath(op.path);
          }
        }
        if (!method.requestParameters) delete method.requestParameters;
        if (!method.requestModels) delete method.requestModels;
        finishMethod(method);
        await checkMethodAuthorizer(deps, input.restApiId, method);
        await checkMethodReferences(deps, input.restApiId, method);
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return method;
      });
    },

    async DeleteMethod(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        await deps.store.deleteMethod(input.restApiId, resource.id, method.httpMethod);
      });
    },

    async PutMethodResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        const response: MethodResponse = { statusCode: input.statusCode };
        if (input.responseParameters) response.responseParameters = input.responseParameters;
        if (input.responseModels) response.responseModels = input.responseModels;
        checkResponseParameters(response.responseParameters);
        await checkModels(deps, input.restApiId, response.responseModels);
        method.methodResponses = { ...method.methodResponses, [input.statusCode]: response };
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return response;
      });
    },

    async GetMethodResponse(input, ctx) {
      const { method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
      const response = method.methodResponses?.[input.statusCode];
      if (!response) throw responseNotFound();
      return response;
    },

    async UpdateMethodResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        const current = method.methodResponses?.[input.statusCode];
        if (!current) throw responseNotFound();
        const response = structuredClone(current);
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          const [field, key] = segments ?? [];
          if (segments?.length !== 2 || (field !== 'responseParameters' && field !== 'responseModels')) throw invalidPatchPath(op.path);
          if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') throw anyOp();
          if (field === 'responseParameters') {
            if (op.op !== 'add' && !(key in (response.responseParameters ?? {}))) throw notFound('Invalid parameter name specified');
            response.responseParameters = op.op === 'remove'
              ? withoutKey(response.responseParameters, key)
              : { ...response.responseParameters, [key]: parseBoolean(op.value) };
          } else {
            if (op.op !== 'add' && !(key in (response.responseModels ?? {}))) throw notFound('Content-Type specified was not found');
            response.responseModels = op.op === 'remove' ? withoutKey(response.responseModels, key) : { ...response.responseModels, [key]: op.value ?? '' };
          }
        }
        if (!response.responseParameters) delete response.responseParameters;
        if (!response.responseModels) delete response.responseModels;
        checkResponseParameters(response.responseParameters);
        await checkModels(deps, input.restApiId, response.responseModels);
        method.methodResponses = { ...method.methodResponses, [input.statusCode]: response };
        await deps.store.putMethod(input.restApiId, resource.id, method);
        return response;
      });
    },

    async DeleteMethodResponse(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        const { resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
        if (!method.methodResponses?.[input.statusCode]) throw responseNotFound();
        method.methodResponses = withoutKey(method.methodResponses, input.statusCode);
        if (!method.methodResponses) delete method.methodResponses;
        await deps.store.putMethod(input.restApiId, resource.id, method);
      });
    },
  };
}
