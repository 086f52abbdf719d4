// CreateModel, GetModel, GetModels, UpdateModel, DeleteModel, GetModelTemplate: a WebSocket API's
// models — JSON Schema draft 4 documents, checked as REST APIs' models are (model-schema.ts) — that
// routes' requestModels name to validate messages. Names are alphanumeric and unique per API; a
// model a route names cannot be deleted or renamed. Changes redeploy the autoDeploy stages.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, HttpModelRecord } from '../../store/httpapi-store.js';
import type { RequestContext } from '../../aws/request-context.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { checkModelSchema, flattenSchema } from '../../apigateway/model-schema.js';
import { modelTemplate } from '../../apigateway/model-template.js';
import { modelView } from '../views.js';
import { page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';

const MODEL_NAME = /^[A-Za-z0-9]+$/;

async function requireWebSocketApi(deps: Deps, ctx: RequestContext, apiId: string): Promise<HttpApiRecord> {
  const api = await requireApi(deps, ctx, apiId);
  if (api.protocolType !== 'WEBSOCKET') throw badRequest('Models are supported only for WebSocket APIs');
  return api;
}

/** The model with `input`'s changes, its name and schema checked against the API's other models. */
async function modelFrom(deps: Deps, apiId: string, base: Partial<HttpModelRecord> & { modelId: string }, input: { Name?: string; Schema?: string; ContentType?: string; Description?: string }): Promise<HttpModelRecord> {
  const name = input.Name ?? base.name;
  if (!name) throw badRequest('Model name must be non-empty');
  if (!MODEL_NAME.test(name)) throw badRequest(`Model name must be alphanumeric: ${name}`);
  const others = (await deps.store.listItems(apiId, 'model')).filter((m) => m.modelId !== base.modelId);
  if (others.some((m) => m.name === name)) throw conflict(`Model name already exists for this API: ${name}`);
  const schema = input.Schema ?? base.schema;
  const names = new Set(others.map((m) => m.name));
  checkModelSchema(schema, apiId, name, (n) => names.has(n) || n === name);
  const model: HttpModelRecord = { modelId: base.modelId, name, schema: schema! };
  const contentType = input.ContentType ?? base.contentType;
  if (contentType !== undefined) model.contentType = contentType;
  const description = input.Description ?? base.description;
  if (description !== undefined) model.description = description;
  return model;
}

/** The routes that name the model, which may then not be deleted or renamed. */
async function routesUsing(deps: Deps, apiId: string, name: string): Promise<string[]> {
  const routes = await deps.store.listItems(apiId, 'route');
  return routes.filter((r) => Object.values(r.requestModels ?? {}).includes(name)).map((r) => r.routeKey);
}

export function modelHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateModel: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireWebSocketApi(deps, ctx, input.ApiId);
      const model = await modelFrom(deps, input.ApiId, { modelId: newShortId(6) }, input);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'model', id: model.modelId, value: model }]);
      return modelView(model);
    }),

    async GetModel(input, ctx) {
      return modelView(await requireItem(deps, ctx, input.ApiId, 'model', input.ModelId));
    },

    async GetModels(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'model'), input, modelView);
    },

    async GetModelTemplate(input, ctx) {
      const model = await requireItem(deps, ctx, input.ApiId, 'model', input.ModelId);
      const models = new Map((await deps.store.listItems(input.ApiId, 'model')).map((m) => [m.name, asRestModel(m)]));
      return { Value: modelTemplate(flattenSchema(asRestModel(model), input.ApiId, models)) };
    },

    UpdateModel: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'model', input.ModelId);
      if (input.Name !== undefined && input.Name !== existing.name) {
        const users = await routesUsing(deps, input.ApiId, existing.name);
        if (users.length) throw conflict(`Model ${existing.name} is used by routes ${users.join(', ')}; it cannot be renamed`);
      }
      const model = await modelFrom(deps, input.ApiId, existing, input);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'model', id: model.modelId, value: model }]);
      return modelView(model);
    }),

    DeleteModel: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const model = await requireItem(deps, ctx, input.ApiId, 'model', input.ModelId);
      const users = await routesUsing(deps, input.ApiId, model.name);
      if (users.length) throw conflict(`Model ${model.name} is used by routes ${users.join(', ')}; it cannot be deleted`);
      await writeAndAutoDeploy(deps, input.ApiId, [], [{ kind: 'model', id: model.modelId }]);
    }),
  };
}

/** The shape REST APIs' schema helpers take. */
const asRestModel = (m: HttpModelRecord) => ({ id: m.modelId, name: m.name, schema: m.schema, contentType: m.contentType ?? 'application/json' });
