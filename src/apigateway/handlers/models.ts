// CreateModel, GetModel, GetModels, UpdateModel, DeleteModel and GetModelTemplate: an API's
// models (JSON Schema draft 4, model-schema.ts). Names are unique per API and are how methods and
// other models refer to them. A deployment freezes them (snapshot.ts); messages are AWS's (recorded).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Model, Operations } from '../../aws/generated/apigateway.js';
import type { ModelRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict, invalidPathForReplace, modelNotFound, unsupportedOpForPath } from '../errors.js';
import { checkModelSchema, flattenSchema, referencedModel, refsOf } from '../model-schema.js';
import { modelTemplate } from '../model-template.js';
import { listPage, locatedMethods, requireApi, withApiLock, type Deps } from './context.js';

const MODEL_NAME = /^[A-Za-z0-9]+$/;
const PATCHABLE = ['/description', '/schema'];

export function modelView(m: ModelRecord, schema = m.schema): Model {
  const view: Model = { contentType: m.contentType, id: m.id, name: m.name, schema };
  if (m.description !== undefined) view.description = m.description;
  return view;
}

async function requireModel(deps: Deps, apiId: string, name: string): Promise<ModelRecord> {
  const model = await deps.store.getModel(apiId, name);
  if (!model) throw modelNotFound(name);
  return model;
}

async function modelNames(deps: Deps, apiId: string): Promise<Set<string>> {
  return new Set((await deps.store.listModels(apiId)).map((m) => m.name));
}

/**
 * Why a model cannot be deleted: a method request uses it (AWS's message, recorded, naming the
 * last such method by path), a method response does, or another model refers to it (our wording).
 */
async function usedBy(deps: Deps, apiId: string, name: string): Promise<string | undefined> {
  const [located, models] = await Promise.all([locatedMethods(deps, apiId), deps.store.listModels(apiId)]);
  const inRequest = located.filter(({ method }) => Object.values(method.requestModels ?? {}).includes(name)).pop();
  if (inRequest) return `Cannot delete model '${name}', is referenced in method request: ${inRequest.where}`;
  for (const { where, method } of located) {
    for (const [status, response] of Object.entries(method.methodResponses ?? {})) {
      if (Object.values(response.responseModels ?? {}).includes(name)) return `Cannot delete model '${name}', is referenced in method response: ${where}/${status}`;
    }
  }
  for (const other of models) {
    if (other.name === name) continue;
    let refs: string[] = [];
    try {
      refs = refsOf(JSON.parse(other.schema));
    } catch {
      continue;
    }
    if (refs.some((ref) => referencedModel(ref, apiId) === name)) return `Cannot delete model '${name}', is referenced in model: ${other.name}`;
  }
  return undefined;
}

export function modelHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateModel(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        if (!input.name) throw badRequest('Model name must be non-empty');
        if (!MODEL_NAME.test(input.name)) throw badRequest(`Model name must be alphanumeric: ${input.name}`);
        const names = await modelNames(deps, input.restApiId);
        if (names.has(input.name)) throw conflict('Model name already exists for this REST API');
        checkModelSchema(input.schema, input.restApiId, input.name, (n) => names.has(n));
        const model: ModelRecord = { id: newShortId(6), name: input.name, schema: input.schema!, contentType: input.contentType };
        if (input.description !== undefined) model.description = input.description;
        if (!(await deps.store.createModel(input.restApiId, model))) throw conflict('Model name already exists for this REST API');
        return modelView(model);
      });
    },

    async GetModel(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const model = await requireModel(deps, input.restApiId, input.modelName);
      if (!input.flatten) return modelView(model);
      const models = new Map((await deps.store.listModels(input.restApiId)).map((m) => [m.name, m]));
      return modelView(model, flattenSchema(model, input.restApiId, models));
    },

    async GetModels(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return listPage(await deps.store.listModels(input.restApiId), input, (m) => modelView(m));
    },

    async GetModelTemplate(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const model = await requireModel(deps, input.restApiId, input.modelName);
      const models = new Map((await deps.store.listModels(input.restApiId)).map((m) => [m.name, m]));
      return { value: modelTemplate(flattenSchema(model, input.restApiId, models)) };
    },

    async UpdateModel(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const model = structuredClone(await requireModel(deps, input.restApiId, input.modelName));
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          if (!PATCHABLE.includes(path)) throw invalidPathForReplace(path, PATCHABLE);
          if (path === '/schema') {
            const names = await modelNames(deps, input.restApiId);
            checkModelSchema(op.value, input.restApiId, model.name, (n) => names.has(n));
            model.schema = op.value!;
          } else if (op.value === undefined || op.value === '') {
            delete model.description;
          } else {
            model.description = op.value;
          }
        }
        await deps.store.updateModel(input.restApiId, model);
        return modelView(model);
      });
    },

    async DeleteModel(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        await requireModel(deps, input.restApiId, input.modelName);
        const reason = await usedBy(deps, input.restApiId, input.modelName);
        if (reason) throw conflict(reason);
        await deps.store.deleteModel(input.restApiId, input.modelName);
      });
    },
  };
}
