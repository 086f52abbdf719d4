// ImportApi, ReimportApi and ExportApi for HTTP APIs. An OpenAPI 3.0 document (read by
// ../openapi/import.ts) becomes a new HTTP API, or replaces an existing one's routes, integrations,
// authorizers and settings (its id, stages, deployments and tags stay; auto-deploying stages are
// redeployed in the same write). The document is read and checked whole before anything is written,
// and each change is one transaction. ExportApi writes the API, or a stage's deployment, back as
// OpenAPI 3.0 in JSON or YAML (../openapi/export.ts), or, for any v2 API, as Stagecraft's own
// list of routes (../route-export.ts).
import { stringify as toYaml } from 'yaml';
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { ImportApiResponse, Operations } from '../../aws/generated/apigatewayv2.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { HttpApiItemPut, HttpApiItemRef, HttpApiRecord, HttpDeploymentSnapshot } from '../../store/httpapi-store.js';
import { AwsError } from '../../core/errors.js';
import { newShortId } from '../../core/ids.js';
import { badRequest } from '../../apigateway/errors.js';
import { invalidOpenApi, parseDocument } from '../../apigateway/openapi/document.js';
import { importWarnings } from '../../apigateway/openapi/import.js';
import { apiView } from '../views.js';
import { requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { snapshotAfter, writeAndAutoDeploy } from '../deploy.js';
import { exportRoutes, ROUTES_SPECIFICATION } from '../route-export.js';
import { DEFAULT_API_KEY_SELECTION, ROUTE_SELECTION } from './apis.js';
import { importHttpApi, type ImportedHttpApi } from '../openapi/import.js';
import { exportHttpApi } from '../openapi/export.js';

const ID_LENGTH = { route: 7, integration: 7, authorizer: 6 } as const;

/** The document read and checked; anything unforeseen in it (say, nesting too deep to walk) answered as AWS answers a bad document. */
function readDocument(body: string, basepath: string | undefined, failOnWarnings: boolean | undefined): ImportedHttpApi {
  let imported: ImportedHttpApi;
  try {
    imported = importHttpApi(parseDocument(body), { basepath, newId: (kind) => newShortId(ID_LENGTH[kind]) });
  } catch (e) {
    if (e instanceof AwsError) throw e;
    throw invalidOpenApi();
  }
  if (failOnWarnings && imported.warnings.length) throw importWarnings(imported.warnings);
  return imported;
}

/** The imported routes, integrations and authorizers as records to write (integrations and authorizers first: routes name them). */
const itemsOf = (imported: ImportedHttpApi): HttpApiItemPut[] => [
  ...imported.integrations.map((i): HttpApiItemPut => ({ kind: 'integration', id: i.integrationId, value: i })),
  ...imported.authorizers.map((a): HttpApiItemPut => ({ kind: 'authorizer', id: a.authorizerId, value: a })),
  ...imported.routes.map((r): HttpApiItemPut => ({ kind: 'route', id: r.routeId, value: r })),
];

/** The API's settings the document gives (name, description, version, CORS, the execute-api endpoint); what it omits is removed. */
function withSettings(base: HttpApiRecord, imported: ImportedHttpApi): HttpApiRecord {
  const { description: _d, version: _v, corsConfiguration: _c, ...api } = base;
  const out: HttpApiRecord = { ...api, name: imported.name };
  if (imported.description !== undefined) out.description = imported.description;
  if (imported.version !== undefined) out.version = imported.version;
  if (imported.corsConfiguration) out.corsConfiguration = imported.corsConfiguration;
  if (imported.disableExecuteApiEndpoint !== undefined) out.disableExecuteApiEndpoint = imported.disableExecuteApiEndpoint;
  return out;
}

function importView(ctx: RequestContext, api: HttpApiRecord, imported: ImportedHttpApi): ImportApiResponse {
  return {
    ...apiView(ctx, api),
    ...(imported.warnings.length ? { Warnings: imported.warnings } : {}),
    ...(imported.info.length ? { ImportInfo: imported.info } : {}),
  };
}

export function importExportHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async ImportApi(input, ctx) {
      const imported = readDocument(input.Body, input.Basepath, input.FailOnWarnings);
      for (;;) {
        const now = deps.now();
        const api = withSettings({
          accountId: ctx.accountId, region: ctx.region, apiId: newShortId(), name: imported.name, protocolType: 'HTTP', createdDate: now,
          routeSelectionExpression: ROUTE_SELECTION, apiKeySelectionExpression: DEFAULT_API_KEY_SELECTION,
          disableExecuteApiEndpoint: false, ipAddressType: 'ipv4', tags: {},
        }, imported);
        if (await deps.store.createApi(api, itemsOf(imported))) return importView(ctx, api, imported);
      }
    },

    ReimportApi: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireApi(deps, ctx, input.ApiId);
      if (existing.protocolType !== 'HTTP') throw badRequest('ReimportApi is supported only for HTTP APIs');
      const imported = readDocument(input.Body, input.Basepath, input.FailOnWarnings);
      const [routes, responses, integrations, authorizers] = await Promise.all([
        deps.store.listItems(input.ApiId, 'route'), deps.store.listItems(input.ApiId, 'routeResponse'),
        deps.store.listItems(input.ApiId, 'integration'), deps.store.listItems(input.ApiId, 'authorizer'),
      ]);
      const deletes: HttpApiItemRef[] = [
        ...routes.map((r) => ({ kind: 'route' as const, id: r.routeId })), ...responses.map((r) => ({ kind: 'routeResponse' as const, id: r.routeResponseId })),
        ...integrations.map((i) => ({ kind: 'integration' as const, id: i.integrationId })), ...authorizers.map((a) => ({ kind: 'authorizer' as const, id: a.authorizerId })),
      ];
      const api = withSettings(existing, imported);
      await writeAndAutoDeploy(deps, input.ApiId, itemsOf(imported), deletes, api);
      return importView(ctx, api, imported);
    }),

    async ExportApi(input, ctx) {
      const api = await requireApi(deps, ctx, input.ApiId);
      // Stagecraft's own specification reads any v2 API; OpenAPI is HTTP APIs' only, as on AWS.
      const routesOnly = input.Specification === ROUTES_SPECIFICATION;
      if (!routesOnly && api.protocolType !== 'HTTP') throw badRequest('ExportApi is supported only for HTTP APIs');
      if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw badRequest(`Invalid exportVersion ${input.ExportVersion}. The only supported value is 1.0`);
      let snapshot: HttpDeploymentSnapshot;
      if (input.StageName !== undefined) {
        const stage = await requireItem(deps, ctx, api.apiId, 'stage', input.StageName);
        const deployment = stage.deploymentId !== undefined ? await deps.store.getItem(api.apiId, 'deployment', stage.deploymentId) : undefined;
        if (!deployment) throw badRequest(`Stage ${stage.stageName} has no deployment to export`);
        snapshot = deployment.snapshot;
      } else {
        snapshot = await snapshotAfter(deps, api.apiId, [], []);
      }
      const doc = routesOnly ? exportRoutes(snapshot) : exportHttpApi({ api, snapshot, stageName: input.StageName, includeExtensions: input.IncludeExtensions ?? true });
      const text = input.OutputType === 'YAML' ? toYaml(doc) : JSON.stringify(doc, null, 2);
      return { body: Buffer.from(text) };
    },
  };
}
