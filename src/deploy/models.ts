// Deploying an API's Models and the request validators its routes' RequestModel asks for. Models
// are created, or their schema replaced, by name to match the template; validators are SAM's
// (body-and-params, body-only, params-only, no-validation), created as routes need them. Both are
// removed when the template no longer has them, once no method names them (API Gateway refuses
// before); the built-in Empty and Error models and validators of other names are left alone.
import {
  CreateModelCommand, CreateRequestValidatorCommand, DeleteModelCommand, DeleteRequestValidatorCommand, GetModelsCommand, GetRequestValidatorsCommand,
  UpdateModelCommand, type Model, type RequestValidator,
} from '@aws-sdk/client-api-gateway';
import type { ApiContext, DeployedApi } from './apis.js';
import type { RequestModelSpec } from './api-events.js';
import { awsErrorType } from './errors.js';
import { allPages } from './paging.js';

const BUILT_IN_MODELS = ['Empty', 'Error'];
const SAM_VALIDATORS = ['body-and-params', 'body-only', 'params-only', 'no-validation'];

/** SAM's name for a validator with these checks. */
export function validatorName(v: NonNullable<RequestModelSpec['validator']>): string {
  if (v.body && v.params) return 'body-and-params';
  if (v.body) return 'body-only';
  if (v.params) return 'params-only';
  return 'no-validation';
}

/** Two schema texts that say the same (deploy writes JSON.stringify's form; others may have spaced it). */
function sameSchema(a: string | undefined, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a ?? '')) === b;
  } catch {
    return false;
  }
}

/**
 * Makes the API's models those of the template, and its SAM validators those the routes need;
 * returns each validator's id by name, and the removal of what is no longer wanted, to run once
 * the routes have stopped naming it.
 */
export async function syncModelsAndValidators(
  ctx: ApiContext, logicalId: string, api: DeployedApi, models: readonly { name: string; schema: string }[], validators: readonly NonNullable<RequestModelSpec['validator']>[],
): Promise<{ validatorIds: Map<string, string>; removeUnused: () => Promise<void> }> {
  const { apigateway, progress } = ctx;
  const restApiId = api.id;
  const existingModels = await ctx.step(logicalId, `reading the models of ${api.name}`, () =>
    allPages<Model>((position) => apigateway.send(new GetModelsCommand({ restApiId, position, limit: 500 }))));
  for (const want of models) {
    const have = existingModels.find((m) => m.name === want.name);
    if (!have) {
      await ctx.step(logicalId, `creating model ${want.name}`, () => apigateway.send(new CreateModelCommand({ restApiId, name: want.name, contentType: 'application/json', schema: want.schema })));
      progress.report({ subject: logicalId, kind: 'created', message: `model ${want.name}` });
    } else if (!sameSchema(have.schema, want.schema)) {
      await ctx.step(logicalId, `updating model ${want.name}`, () => apigateway.send(new UpdateModelCommand({
        restApiId, modelName: want.name, patchOperations: [{ op: 'replace', path: '/schema', value: want.schema }],
      })));
      progress.report({ subject: logicalId, kind: 'updated', message: `model ${want.name}` });
    } else {
      progress.report({ subject: logicalId, kind: 'unchanged', message: `model ${want.name}` });
    }
  }

  const existingValidators = await ctx.step(logicalId, `reading the request validators of ${api.name}`, () =>
    allPages<RequestValidator>((position) => apigateway.send(new GetRequestValidatorsCommand({ restApiId, position, limit: 500 }))));
  const validatorIds = new Map<string, string>();
  for (const v of validators) {
    const name = validatorName(v);
    if (validatorIds.has(name)) continue;
    const have = existingValidators.find((x) => x.name === name && (x.validateRequestBody ?? false) === v.body && (x.validateRequestParameters ?? false) === v.params);
    if (have?.id) {
      validatorIds.set(name, have.id);
      continue;
    }
    const created = await ctx.step(logicalId, `creating request validator ${name}`, () => apigateway.send(new CreateRequestValidatorCommand({
      restApiId, name, validateRequestBody: v.body, validateRequestParameters: v.params,
    })));
    validatorIds.set(name, created.id!);
    progress.report({ subject: logicalId, kind: 'created', message: `request validator ${name}` });
  }

  const removeUnused = async () => {
    const wantedIds = new Set(validatorIds.values());
    for (const v of existingValidators) {
      if (!v.id || !SAM_VALIDATORS.includes(v.name ?? '') || wantedIds.has(v.id)) continue;
      await ctx.step(logicalId, `removing request validator ${v.name}`, () => apigateway.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: v.id })));
      progress.report({ subject: logicalId, kind: 'removed', message: `request validator ${v.name} (no route asks for it)` });
    }
    // Models refer to each other: a model still referenced is refused, so retry until nothing more goes.
    let left = existingModels.filter((m) => m.name && !BUILT_IN_MODELS.includes(m.name) && !models.some((w) => w.name === m.name));
    while (left.length) {
      const failed: Model[] = [];
      for (const m of left) {
        const removed = await ctx.step(logicalId, `removing model ${m.name}`, () => apigateway.send(new DeleteModelCommand({ restApiId, modelName: m.name })).then(() => true, (e) => {
          if (awsErrorType(e) === 'ConflictException') return false;
          throw e;
        }));
        if (removed) progress.report({ subject: logicalId, kind: 'removed', message: `model ${m.name} (no longer in the template)` });
        else failed.push(m);
      }
      if (failed.length === left.length) {
        for (const m of failed) progress.note(`model ${m.name} of ${api.name} is not in the template but is still used, so it was left in place`);
        break;
      }
      left = failed;
    }
  };
  return { validatorIds, removeUnused };
}
