// CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import type { EndpointType, IpAddressType, RestApiRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, invalidPatchPath, onlyReplace } from '../errors.js';
import { parseBoolean, pathSegments, type PatchOp } from '../patch.js';
import { restApiView } from '../views.js';
import { listPage, requireApi, scopeOf, withApiLock, type Deps } from './context.js';
import { cloneTree } from './clone.js';
import { builtInModels } from '../built-in-models.js';

const MAX_COMPRESSION = 10485760;
const ENDPOINT_TYPES: EndpointType[] = ['REGIONAL', 'EDGE', 'PRIVATE'];

const compressionError = () => badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
const privateNeedsDualstack = () => badRequest('Only dualstack ipAddressType is supported for Private APIs.');

export function endpointConfiguration(input: { types?: string[]; ipAddressType?: string; vpcEndpointIds?: string[] } | undefined): RestApiRecord['endpointConfiguration'] {
  const types = (input?.types ?? ['EDGE']) as EndpointType[];
  if (types.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.');
  const type = types[0];
  const ipAddressType = (input?.ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4')) as IpAddressType;
  if (type === 'PRIVATE' && ipAddressType !== 'dualstack') throw privateNeedsDualstack();
  const config: RestApiRecord['endpointConfiguration'] = { types: [type], ipAddressType };
  if (input?.vpcEndpointIds?.length) config.vpcEndpointIds = [...input.vpcEndpointIds];
  return config;
}

export function restApiHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateRestApi(input, ctx) {
      if (input.description === '') throw badRequest('Description cannot be an empty string');
      const mcs = input.minimumCompressionSize;
      if (mcs !== undefined && (mcs < 0 || mcs > MAX_COMPRESSION)) throw compressionError();
      const endpoint = endpointConfiguration(input.endpointConfiguration);
      const source = input.cloneFrom ? await requireApi(deps, ctx, input.cloneFrom) : undefined;
      for (;;) {
        const api: RestApiRecord = {
          accountId: ctx.accountId,
          region: ctx.region,
          id: newShortId(),
          name: input.name,
          createdDate: deps.now(),
          rootResourceId: newShortId(),
          binaryMediaTypes: input.binaryMediaTypes ? [...new Set(input.binaryMediaTypes)] : [],
          apiKeySource: input.apiKeySource ?? 'HEADER',
          endpointConfiguration: endpoint,
          disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
          tags: input.tags ?? {},
        };
        if (input.description !== undefined) api.description = input.description;
        if (input.version !== undefined) api.version = input.version;
        if (mcs !== undefined) api.minimumCompressionSize = mcs;
        if (input.policy !== undefined) api.policy = input.policy;
        const tree = source
          ? await cloneTree(deps, source.id, source.rootResourceId, api.rootResourceId)
          : { resources: [{ id: api.rootResourceId, path: '/' }], contents: { models: builtInModels(() => newShortId(6)) } };
        if (await deps.store.createRestApi(api, tree.resources, tree.contents)) {
          // A clone is documented as its source is (the parts, under new ids; not the versions).
          if (source) await deps.documentation.putParts(api.id, (await deps.documentation.listParts(source.id)).map((p) => ({ ...p, id: newShortId(6) })), false);
          return restApiView(api);
        }
        // The id is taken: draw another.
      }
    },

    async GetRestApi(input, ctx) {
      return restApiView(await requireApi(deps, ctx, input.restApiId));
    },

    async GetRestApis(input, ctx) {
      const apis = await deps.store.listRestApis(scopeOf(ctx));
      return listPage(apis, input, (a) => restApiView(a));
    },

    async UpdateRestApi(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const api = structuredClone(await requireApi(deps, ctx, input.restApiId));
        for (const op of input.patchOperations ?? []) applyRestApiPatch(api, op);
        await deps.store.updateRestApi(api);
        return restApiView(api, { tagsAlways: true });
      });
    },

    async DeleteRestApi(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        await deps.store.deleteRestApi(scopeOf(ctx), input.restApiId);
      });
    },
  };
}

/** One PATCH operation on a REST API, following AWS's accepted paths, ops and messages. */
function applyRestApiPatch(api: RestApiRecord, op: PatchOp): void {
  const segments = pathSegments(op.path);
  if (!segments) throw invalidPatchPath(op.path);
  const [head, key, rest] = segments;
  const requireReplace = () => {
    if (op.op !== 'replace') throw onlyReplace();
  };
  switch (head) {
    case 'name':
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      requireReplace();
      if (!op.value) throw badRequest('Invalid REST API name specified');
      api.name = op.value;
      return;
    case 'description':
    case 'version':
    case 'policy':
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      if (op.op === 'remove' || ((op.op === 'replace' || op.op === 'add') && !op.value)) delete api[head];
      else if (op.op === 'replace' || op.op === 'add') api[head] = op.value;
      else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
      return;
    case 'minimumCompressionSize': {
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      requireReplace();
      if (op.value === undefined || op.value === '') {
        delete api.minimumCompressionSize;
        return;
      }
      if (!/^-?\d+$/.test(op.value)) throw compressionError();
      const size = Number(op.value);
      if (size < 0 || size > MAX_COMPRESSION) throw compressionError();
      api.minimumCompressionSize = size;
      return;
    }
    case 'apiKeySource':
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      requireReplace();
      if (op.value !== 'HEADER' && op.value !== 'AUTHORIZER') throw badRequest('Invalid API key source specified. Valid options are HEADER,AUTHORIZER');
      api.apiKeySource = op.value;
      return;
    case 'disableExecuteApiEndpoint':
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      requireReplace();
      api.disableExecuteApiEndpoint = parseBoolean(op.value);
      return;
    case 'binaryMediaTypes': {
      // An array patched like an object: the path names the media type, "~1" for its slash.
      if (segments.length !== 2 || !key) throw invalidPatchPath(op.path);
      const types = api.binaryMediaTypes.filter((t) => t !== key);
      if (op.op === 'add') api.binaryMediaTypes = [...types, key];
      else if (op.op === 'remove') api.binaryMediaTypes = types;
      else if (op.op === 'replace') {
        if (!op.value) throw badRequest('Invalid binary media type specified');
        api.binaryMediaTypes = [...types.filter((t) => t !== op.value), op.value];
      } else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
      return;
    }
    case 'endpointConfiguration':
      if (key === 'types' && segments.length === 3 && rest) {
        if (!['add', 'remove', 'replace'].includes(op.op!)) throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        if (op.op === 'remove') throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
        const type = op.value as EndpointType;
        if (!ENDPOINT_TYPES.includes(type)) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
        api.endpointConfiguration.types = [type];
        if (type === 'PRIVATE') api.endpointConfiguration.ipAddressType = 'dualstack';
        return;
      }
      if (key === 'ipAddressType' && segments.length === 2) {
        requireReplace();
        if (op.value !== 'ipv4' && op.value !== 'dualstack') throw badRequest('ipAddressType must be either ipv4 or dualstack.');
        if (api.endpointConfiguration.types[0] === 'PRIVATE' && op.value !== 'dualstack') throw privateNeedsDualstack();
        api.endpointConfiguration.ipAddressType = op.value;
        return;
      }
      if (key === 'vpcEndpointIds' && segments.length === 2) {
        const ids = api.endpointConfiguration.vpcEndpointIds ?? [];
        const values = (op.value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
        if (op.op === 'add') api.endpointConfiguration.vpcEndpointIds = [...ids, ...values.filter((v) => !ids.includes(v))];
        else if (op.op === 'remove') api.endpointConfiguration.vpcEndpointIds = values.length ? ids.filter((v) => !values.includes(v)) : [];
        else if (op.op === 'replace') api.endpointConfiguration.vpcEndpointIds = values;
        else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        if (!api.endpointConfiguration.vpcEndpointIds.length) delete api.endpointConfiguration.vpcEndpointIds;
        return;
      }
      throw invalidPatchPath(op.path);
    default:
      throw invalidPatchPath(op.path);
  }
}
