// ImportRestApi and PutRestApi: an OpenAPI document (src/apigateway/openapi/import.ts reads it)
// becomes a new REST API, or replaces (mode=overwrite) or merges into (mode=merge, the default) an
// existing one, with the documentation parts of its x-amazon-apigateway-documentation (unless
// ignore=documentation). The document is read and checked whole before anything is written.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations, RestApi } from '../../aws/generated/apigateway.js';
import type { ResourceRecord, RestApiRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest } from '../errors.js';
import { restApiView } from '../views.js';
import { AwsError } from '../../core/errors.js';
import { invalidOpenApi, parseDocument, type OpenApiDocument } from '../openapi/document.js';
import { importDocument, importErrors, importWarnings, type ImportOptions, type ImportedApi } from '../openapi/import.js';
import { checkPlacement } from './resources.js';
import { requireApi, withApiLock, type Deps } from './context.js';
import { endpointConfiguration } from './rest-apis.js';
import { importParts } from './documentation-parts.js';
import { DOCUMENTATION_EXTENSION, readDocumentationParts, type DocumentationEntry } from '../openapi/documentation.js';

type Kind = 'authorizer' | 'validator' | 'model';
const freshId = (kind: Kind) => (kind === 'model' ? newShortId(6) : newShortId());

/**
 * The resources for `paths` under the root: existing ones (by path) are kept, missing ones are new,
 * parents before children. Returns every resource by path and the ones to create.
 */
function placeResources(root: ResourceRecord, existing: ResourceRecord[], paths: string[]): { byPath: Map<string, ResourceRecord>; created: ResourceRecord[] } {
  const byPath = new Map(existing.map((r) => [r.path, r]));
  byPath.set('/', root);
  const created: ResourceRecord[] = [];
  for (const path of paths) {
    if (byPath.has(path)) continue;
    const cut = path.lastIndexOf('/');
    const parent = byPath.get(path.slice(0, cut) || '/')!;
    const resource: ResourceRecord = { id: newShortId(), parentId: parent.id, pathPart: path.slice(cut + 1), path };
    // The tree rules CreateResource applies: one variable among siblings, nothing below a greedy one.
    try {
      checkPlacement(parent, resource.pathPart!, [...byPath.values()].filter((r) => r.parentId === parent.id));
    } catch (e) {
      throw importErrors([`Unable to create resource at path '${path}': ${(e as Error).message}`]);
    }
    byPath.set(path, resource);
    created.push(resource);
  }
  return { byPath, created };
}

/** The imported methods with their resource ids (an integration's cache namespace defaults to its resource). */
function placeMethods(imported: ImportedApi, byPath: Map<string, ResourceRecord>) {
  return imported.methods.map(({ path, method }) => {
    const resourceId = byPath.get(path)!.id;
    if (method.methodIntegration && method.methodIntegration.cacheNamespace === undefined) method.methodIntegration.cacheNamespace = resourceId;
    return { resourceId, method };
  });
}

/** importDocument, with anything unforeseen in a document (say, nesting too deep to walk) answered as AWS answers a bad document. */
function readDocument(doc: OpenApiDocument, options: ImportOptions): ImportedApi {
  try {
    return importDocument(doc, options);
  } catch (e) {
    if (e instanceof AwsError) throw e;
    throw invalidOpenApi();
  }
}

function withWarnings(view: RestApi, imported: ImportedApi): RestApi {
  return imported.warnings.length ? { ...view, warnings: imported.warnings } : view;
}

/** The documentation parts the document carries, unless `ignore=documentation`; their warnings join the import's. */
function documentationOf(doc: OpenApiDocument, imported: ImportedApi, ignore: string | undefined): DocumentationEntry[] | undefined {
  if (ignore === 'documentation' || doc.root[DOCUMENTATION_EXTENSION] === undefined) return undefined;
  const { entries, warnings } = readDocumentationParts(doc.root);
  imported.warnings.push(...warnings);
  return entries;
}

function checkWarnings(imported: ImportedApi, failOnWarnings: boolean | undefined): void {
  if (failOnWarnings && imported.warnings.length) throw importWarnings(imported.warnings);
}

export function importHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async ImportRestApi(input, ctx) {
      const doc = parseDocument(input.body);
      const parameters = input.parameters ?? {};
      const types = parameters.endpointConfigurationTypes;
      const endpoint = endpointConfiguration(types ? { types: types.split(',').map((t) => t.trim().toUpperCase()) } : undefined);
      for (;;) {
        const id = newShortId();
        const imported = readDocument(doc, { apiId: id, basepath: parameters.basepath, idFor: freshId });
        const documentation = documentationOf(doc, imported, parameters.ignore);
        checkWarnings(imported, input.failOnWarnings);
        if (!imported.name) throw badRequest('Invalid OpenAPI input.');
        const api: RestApiRecord = {
          accountId: ctx.accountId,
          region: ctx.region,
          id,
          name: imported.name,
          createdDate: deps.now(),
          rootResourceId: newShortId(),
          binaryMediaTypes: imported.binaryMediaTypes,
          apiKeySource: imported.apiKeySource ?? 'HEADER',
          endpointConfiguration: endpoint,
          disableExecuteApiEndpoint: imported.disableExecuteApiEndpoint ?? false,
          tags: {},
        };
        applySettings(api, imported, false);
        const root: ResourceRecord = { id: api.rootResourceId, path: '/' };
        const { byPath, created } = placeResources(root, [], imported.paths);
        const contents = {
          methods: placeMethods(imported, byPath),
          authorizers: imported.authorizers,
          gatewayResponses: imported.gatewayResponses,
          models: imported.models,
          requestValidators: imported.requestValidators,
        };
        if (await deps.store.createRestApi(api, [root, ...created], contents)) {
          if (documentation) await importParts(deps, id, documentation, true);
          return withWarnings(restApiView(api), imported);
        }
        // The id is taken: draw another.
      }
    },

    async PutRestApi(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const api = structuredClone(await requireApi(deps, ctx, input.restApiId));
        const doc = parseDocument(input.body);
        const overwrite = input.mode === 'overwrite';
        const [authorizers, validators, models] = await Promise.all([
          deps.store.listAuthorizers(api.id), deps.store.listRequestValidators(api.id), deps.store.listModels(api.id),
        ]);
        // Merging keeps the ids of authorizers, validators and models the document names again.
        const kept = (kind: Kind, name: string) => !overwrite
          && (kind === 'authorizer' ? authorizers.find((a) => a.name === name)?.id : kind === 'validator' ? validators.find((v) => v.name === name)?.id : models.find((m) => m.name === name)?.id);
        const imported = readDocument(doc, { apiId: api.id, basepath: input.parameters?.basepath, idFor: (kind, name) => kept(kind, name) || freshId(kind) });
        const documentation = documentationOf(doc, imported, input.parameters?.ignore);
        checkWarnings(imported, input.failOnWarnings);

        const existing = overwrite ? [] : await deps.store.listResources(api.id);
        const { byPath, created } = placeResources({ id: api.rootResourceId, path: '/' }, existing, imported.paths);
        // Everything is checked: from here on the document is written.
        if (overwrite) await clearApi(deps, api);
        for (const r of created) await deps.store.createResource(api.id, r);
        // Models first: methods name them.
        const modelNames = new Set(overwrite ? [] : models.map((m) => m.name));
        for (const m of imported.models) {
          if (modelNames.has(m.name)) await deps.store.updateModel(api.id, m);
          else await deps.store.createModel(api.id, m);
        }
        for (const a of imported.authorizers) await deps.store.putAuthorizer(api.id, a);
        for (const v of imported.requestValidators) await deps.store.putRequestValidator(api.id, v);
        for (const g of imported.gatewayResponses) await deps.store.putGatewayResponse(api.id, g);
        for (const { resourceId, method } of placeMethods(imported, byPath)) await deps.store.putMethod(api.id, resourceId, method);

        if (imported.name) api.name = imported.name;
        applySettings(api, imported, overwrite);
        api.binaryMediaTypes = overwrite ? imported.binaryMediaTypes : [...new Set([...api.binaryMediaTypes, ...imported.binaryMediaTypes])];
        if (overwrite || imported.apiKeySource) api.apiKeySource = imported.apiKeySource ?? 'HEADER';
        if (imported.disableExecuteApiEndpoint !== undefined) api.disableExecuteApiEndpoint = imported.disableExecuteApiEndpoint;
        await deps.store.updateRestApi(api);
        if (documentation) await importParts(deps, api.id, documentation, overwrite);
        return withWarnings(restApiView(api, { tagsAlways: true }), imported);
      });
    },
  };
}

/** The optional API settings the document gives; overwriting also drops those it does not give. */
function applySettings(api: RestApiRecord, imported: ImportedApi, overwrite: boolean): void {
  for (const key of ['description', 'version', 'policy', 'minimumCompressionSize'] as const) {
    const value = imported[key];
    if (value !== undefined) (api as unknown as Record<string, unknown>)[key] = value;
    else if (overwrite) delete api[key];
  }
}

/** Overwrite mode: the API loses every resource but its root, every method, model, authorizer, validator and customised gateway response. */
async function clearApi(deps: Deps, api: RestApiRecord): Promise<void> {
  for (const { resourceId, method } of await deps.store.listMethods(api.id, api.rootResourceId)) await deps.store.deleteMethod(api.id, resourceId, method.httpMethod);
  for (const r of await deps.store.listResources(api.id)) if (r.parentId === api.rootResourceId) await deps.store.deleteResource(api.id, r.id);
  for (const m of await deps.store.listModels(api.id)) await deps.store.deleteModel(api.id, m.name);
  for (const a of await deps.store.listAuthorizers(api.id)) await deps.store.deleteAuthorizer(api.id, a.id);
  for (const v of await deps.store.listRequestValidators(api.id)) await deps.store.deleteRequestValidator(api.id, v.id);
  for (const g of await deps.store.listGatewayResponses(api.id)) await deps.store.deleteGatewayResponse(api.id, g.responseType);
}
