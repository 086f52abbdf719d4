// CreateUsagePlan, GetUsagePlan(s), UpdateUsagePlan, DeleteUsagePlan and the plan's keys
// (CreateUsagePlanKey, GetUsagePlanKey(s), DeleteUsagePlanKey). A plan lists the API stages its
// keys may call; the data plane (api-key-runtime.ts) reads memberships live, so changes here
// take effect without a redeploy, as on AWS.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { ApiStage, Operations, UsagePlan, UsagePlanKey } from '../../aws/generated/apigateway.js';
import type { ApiKeyRecord, UsagePlanRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import {
  apiKeyNotFound, apiStageNotFound, badRequest, blankApiStage, conflict, invalidApiStage, invalidPatchPath, invalidUsagePlanRemovePath,
  unsupportedOpForPath, usagePlanInUse, usagePlanNotFound,
} from '../errors.js';
import { pathSegments, type PatchOp } from '../patch.js';
import { listPage, scopeOf, type Deps } from './context.js';
import { requireApiKey, withUsageLock } from './api-keys.js';

/** A plan as AWS returns it; `tags` always on GetUsagePlan and UpdateUsagePlan (recorded as `{}`). */
export function usagePlanView(plan: UsagePlanRecord, options: { tagsAlways?: boolean } = {}): UsagePlan {
  const view: UsagePlan = { id: plan.id, name: plan.name };
  if (plan.description !== undefined) view.description = plan.description;
  view.apiStages = plan.apiStages.map((s) => ({ ...s }));
  if (plan.throttle) view.throttle = { ...plan.throttle };
  if (plan.quota) view.quota = { ...plan.quota };
  if (plan.productCode !== undefined) view.productCode = plan.productCode;
  if (options.tagsAlways || Object.keys(plan.tags).length) view.tags = { ...plan.tags };
  return view;
}

const planKeyView = (key: ApiKeyRecord): UsagePlanKey => ({ id: key.id, type: 'API_KEY', value: key.value, ...(key.name !== undefined ? { name: key.name } : {}) });

export async function requirePlan(deps: Deps, ctx: RequestContext, id: string): Promise<UsagePlanRecord> {
  const plan = await deps.store.getUsagePlan(scopeOf(ctx), id);
  if (!plan) throw usagePlanNotFound();
  return plan;
}

/** Throws AWS's NotFound unless the REST API or WebSocket API (in the caller's account and region) has the stage. */
async function checkApiStage(deps: Deps, ctx: RequestContext, stage: ApiStage, planId: string): Promise<void> {
  const { apiId = '', stage: name = '' } = stage;
  const api = await deps.store.getRestApi(scopeOf(ctx), apiId);
  const found = api ? await deps.store.getStage(apiId, name) !== undefined : await deps.webSockets?.hasStage(scopeOf(ctx), apiId, name);
  if (!found) throw apiStageNotFound(apiId, name, planId);
}

/** A `/apiStages` patch value, "{apiId}:{stage}". */
function parseApiStage(value: string | undefined): ApiStage {
  const parts = (value ?? '').split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw invalidApiStage();
  return { apiId: parts[0], stage: parts[1] };
}

const sameStage = (a: ApiStage, b: ApiStage) => a.apiId === b.apiId && a.stage === b.stage;

/** A key may reach one API stage through one plan only (AWS's wording as users report it). */
const sharedStage = (planId: string, keyId: string, stage: ApiStage) =>
  conflict(`Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${stage.apiId}:${stage.stage}`);

/** Throws when one of the plan's keys already reaches `stage` through another plan. */
async function checkKeysMayReach(deps: Deps, ctx: RequestContext, plan: UsagePlanRecord, stage: ApiStage): Promise<void> {
  for (const key of await deps.store.listUsagePlanKeys(plan.id)) {
    for (const other of await deps.store.listUsagePlans(scopeOf(ctx), key.id)) {
      if (other.id !== plan.id && other.apiStages.some((s) => sameStage(s, stage))) throw sharedStage(plan.id, key.id, stage);
    }
  }
}

/** Throws ConflictException when the key is in the plan already, or reaches one of its API stages through another plan. */
export async function checkKeyMayJoin(deps: Deps, ctx: RequestContext, plan: UsagePlanRecord, keyId: string): Promise<void> {
  for (const other of await deps.store.listUsagePlans(scopeOf(ctx), keyId)) {
    if (other.id === plan.id) throw conflict(`Usage Plan Key ${keyId} already exists in usage plan ${plan.id}`);
    const shared = other.apiStages.find((s) => plan.apiStages.some((t) => sameStage(s, t)));
    if (shared) throw sharedStage(plan.id, keyId, shared);
  }
}

export function numberValue(path: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) throw badRequest(`Invalid value specified for ${path}: ${value ?? 'null'}`);
  return n;
}

/** One PATCH operation on a working copy of the plan. */
async function patchPlan(deps: Deps, ctx: RequestContext, plan: UsagePlanRecord, op: PatchOp): Promise<void> {
  const path = op.path ?? '';
  const [field, member, ...rest] = pathSegments(path) ?? [];
  if (field === 'apiStages' && member === undefined) {
    if (op.op !== 'add' && op.op !== 'remove') throw unsupportedOpForPath(path, op.op ?? 'null');
    const stage = parseApiStage(op.value);
    await checkApiStage(deps, ctx, stage, plan.id);
    if (op.op === 'add' && !plan.apiStages.some((s) => sameStage(s, stage))) {
      await checkKeysMayReach(deps, ctx, plan, stage);
      plan.apiStages.push(stage);
    }
    if (op.op === 'remove') plan.apiStages = plan.apiStages.filter((s) => !sameStage(s, stage));
    return;
  }
  if (op.op === 'remove') {
    if (rest.length || member !== undefined || !(field === 'throttle' || field === 'quota' || field === 'productCode')) throw invalidUsagePlanRemovePath(path);
    delete plan[field];
    return;
  }
  if (rest.length) throw invalidPatchPath(path);
  if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
  if (field === 'throttle' && (member === 'burstLimit' || member === 'rateLimit')) {
    plan.throttle = { ...plan.throttle, [member]: numberValue(path, op.value) };
  } else if (field === 'quota' && (member === 'limit' || member === 'offset')) {
    plan.quota = { offset: 0, ...plan.quota, [member]: numberValue(path, op.value) };
  } else if (field === 'quota' && member === 'period') {
    if (op.value !== 'DAY' && op.value !== 'WEEK' && op.value !== 'MONTH') throw badRequest(`Invalid quota period specified: ${op.value ?? 'null'}`);
    plan.quota = { offset: 0, ...plan.quota, period: op.value };
  } else if (member === undefined && (field === 'name' || field === 'description' || field === 'productCode')) {
    if (field === 'name') {
      if (!op.value) throw badRequest('Usage plan name must be non-empty');
      plan.name = op.value;
    } else if (op.value) {
      plan[field] = op.value;
    } else {
      delete plan[field];
    }
  } else {
    throw invalidPatchPath(path);
  }
}

export function usagePlanHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateUsagePlan(input, ctx) {
      return withUsageLock(deps, async () => {
        const plan: UsagePlanRecord = {
          ...scopeOf(ctx), id: newShortId(6), name: input.name, apiStages: [], tags: { ...input.tags }, createdDate: deps.now(),
        };
        if (input.description !== undefined) plan.description = input.description;
        for (const stage of input.apiStages ?? []) {
          if (!stage.apiId || !stage.stage) throw blankApiStage();
          await checkApiStage(deps, ctx, stage, plan.id);
          if (!plan.apiStages.some((s) => sameStage(s, stage))) plan.apiStages.push({ ...stage });
        }
        if (input.throttle) plan.throttle = { ...input.throttle };
        // AWS fills in the quota's offset (recorded as 0).
        if (input.quota) plan.quota = { ...input.quota, offset: input.quota.offset ?? 0 };
        while (!(await deps.store.createUsagePlan(plan))) plan.id = newShortId(6);
        return usagePlanView(plan);
      });
    },

    async GetUsagePlan(input, ctx) {
      return usagePlanView(await requirePlan(deps, ctx, input.usagePlanId), { tagsAlways: true });
    },

    async GetUsagePlans(input, ctx) {
      return listPage(await deps.store.listUsagePlans(scopeOf(ctx), input.keyId), input, (p) => usagePlanView(p));
    },

    async UpdateUsagePlan(input, ctx) {
      return withUsageLock(deps, async () => {
        const plan = structuredClone(await requirePlan(deps, ctx, input.usagePlanId));
        for (const op of input.patchOperations ?? []) await patchPlan(deps, ctx, plan, op);
        await deps.store.updateUsagePlan(plan);
        return usagePlanView(plan, { tagsAlways: true });
      });
    },

    async DeleteUsagePlan(input, ctx) {
      await withUsageLock(deps, async () => {
        // AWS refuses while the plan still lists API stages: they must be removed first.
        const plan = await requirePlan(deps, ctx, input.usagePlanId);
        const [stage] = plan.apiStages;
        if (stage) throw usagePlanInUse(plan.id, stage.apiId ?? '', stage.stage ?? '');
        await deps.store.deleteUsagePlan(scopeOf(ctx), plan.id);
      });
    },

    async CreateUsagePlanKey(input, ctx) {
      return withUsageLock(deps, async () => {
        const plan = await requirePlan(deps, ctx, input.usagePlanId);
        if (input.keyType !== 'API_KEY') throw badRequest(`Invalid key type specified: ${input.keyType}`);
        const key = await requireApiKey(deps, ctx, input.keyId);
        await checkKeyMayJoin(deps, ctx, plan, key.id);
        await deps.store.addUsagePlanKey(plan.id, key.id);
        return planKeyView(key);
      });
    },

    async GetUsagePlanKey(input, ctx) {
      const plan = await requirePlan(deps, ctx, input.usagePlanId);
      const key = await requireApiKey(deps, ctx, input.keyId);
      const member = (await deps.store.listUsagePlanKeys(plan.id)).some((k) => k.id === key.id);
      if (!member) throw usagePlanNotFound();
      return planKeyView(key);
    },

    async GetUsagePlanKeys(input, ctx) {
      // An unknown plan lists no keys rather than failing (recorded).
      const plan = await deps.store.getUsagePlan(scopeOf(ctx), input.usagePlanId);
      const keys = plan ? await deps.store.listUsagePlanKeys(plan.id) : [];
      const named = keys.filter((k) => input.nameQuery === undefined || (k.name ?? '').startsWith(input.nameQuery));
      return listPage(named, input, planKeyView);
    },

    async DeleteUsagePlanKey(input, ctx) {
      await withUsageLock(deps, async () => {
        const plan = await requirePlan(deps, ctx, input.usagePlanId);
        if (!(await deps.store.removeUsagePlanKey(plan.id, input.keyId))) throw apiKeyNotFound();
      });
    },
  };
}
