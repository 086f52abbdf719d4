// PutGatewayResponse, GetGatewayResponse, GetGatewayResponses, UpdateGatewayResponse and
// DeleteGatewayResponse: an API's customised gateway responses. Only customised types are stored;
// every other type answers AWS's defaults (defaultResponse true), inheriting DEFAULT_4XX/5XX's
// customisation. A deployment freezes them (snapshot.ts); messages are AWS's (recorded).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import type { GatewayResponseRecord } from '../../store/apigateway-store.js';
import { badRequest, invalidMappingExpression, invalidPatchPath, notFound } from '../errors.js';
import { pathSegments } from '../patch.js';
import { RESPONSE_TYPES, gatewayResponseView, newGatewayResponse, type ResponseType } from '../gateway-responses.js';
import { requireApi, withApiLock, type Deps } from './context.js';

async function customised(deps: Deps, apiId: string): Promise<Record<string, GatewayResponseRecord>> {
  return Object.fromEntries((await deps.store.listGatewayResponses(apiId)).map((r) => [r.responseType, r]));
}

type MapMember = 'responseParameters' | 'responseTemplates';

const TARGET = /^gatewayresponse\.header\.[^\s]+$/;
const SOURCE = /^(?:'[^]*'|method\.request\.(?:path|querystring|multivaluequerystring|header|multivalueheader)\.[^\s]+|stageVariables\.[^\s]+|context\.[^\s]+)$/;

/**
 * A header mapping AWS accepts: `gatewayresponse.header.X` from a 'literal', a method request
 * parameter, a stage variable or a context variable. Otherwise AWS's "Invalid mapping expression
 * specified" naming the target or the value (its wording as users report it; not recorded).
 */
function checkMapping(target: string, source: string): void {
  if (!TARGET.test(target)) throw invalidMappingExpression(target);
  if (!SOURCE.test(source.trim())) throw invalidMappingExpression(source);
}

/** Applies one PATCH operation as AWS does (recorded messages). */
function patch(record: GatewayResponseRecord, op: { op?: string; path?: string; value?: string }): void {
  const segments = pathSegments(op.path);
  const [member, key] = segments ?? [];
  if (segments?.length === 1 && member === 'statusCode') {
    if (op.op !== 'replace') throw invalidPatchPath(op.path);
    if (op.value === undefined || op.value === '') delete record.statusCode;
    else record.statusCode = op.value;
    return;
  }
  if (!segments || (member !== 'responseParameters' && member !== 'responseTemplates') || segments.length !== 2 || key === '') throw invalidPatchPath(op.path);
  const map = record[member as MapMember];
  if (op.op === 'remove') {
    delete map[key];
    return;
  }
  if (op.op !== 'add' && op.op !== 'replace') throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace]`);
  if (op.op === 'replace' && !Object.hasOwn(map, key)) throw notFound('Invalid parameter name specified');
  if (op.value === undefined || op.value === null || op.value === '') throw badRequest(`Invalid null or empty value in ${member}`);
  if (member === 'responseParameters') checkMapping(key, op.value);
  map[key] = op.value;
}

export function gatewayResponseHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async PutGatewayResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        for (const [target, source] of Object.entries(input.responseParameters ?? {})) checkMapping(target, source);
        const record = newGatewayResponse(input.responseType, input);
        await deps.store.putGatewayResponse(input.restApiId, record);
        return gatewayResponseView(record.responseType, { [record.responseType]: record });
      });
    },

    async GetGatewayResponse(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return gatewayResponseView(input.responseType, await customised(deps, input.restApiId));
    },

    async GetGatewayResponses(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const custom = await customised(deps, input.restApiId);
      // The whole collection: AWS documents that it does not page this one and ignores limit and position.
      return { items: RESPONSE_TYPES.map((type: ResponseType) => gatewayResponseView(type, custom)) };
    },

    async UpdateGatewayResponse(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        // A type not customised yet starts from its defaults (not from what it inherits), as recorded.
        const stored = await deps.store.getGatewayResponse(input.restApiId, input.responseType);
        const record = stored ? structuredClone(stored) : newGatewayResponse(input.responseType);
        for (const op of input.patchOperations ?? []) patch(record, op);
        await deps.store.putGatewayResponse(input.restApiId, record);
        return gatewayResponseView(record.responseType, { [record.responseType]: record });
      });
    },

    async DeleteGatewayResponse(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        if (!(await deps.store.deleteGatewayResponse(input.restApiId, input.responseType))) throw notFound('Gateway response type not defined on api');
      });
    },
  };
}
