// A template's own AWS::ApiGateway::UsagePlan, ApiKey and UsagePlanKey resources (what CDK's
// addUsagePlan, addApiKey and plan.addApiKey write), deployed as CloudFormation would: any number
// of plans per API and keys per plan, a plan over the stages of several APIs with per-method
// throttles, keys with a chosen Name and Value. Each plan and key is tagged with the stack and its
// logical ID, so a later deploy updates it in place (a key whose Value changed, or a plan whose
// per-method throttles changed, is replaced), and one removed from the template is deleted.
// Ref of a plan or a key gives its ID once this step has run (outputs are evaluated after it).
import {
  CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteUsagePlanCommand, DeleteUsagePlanKeyCommand,
  GetApiKeysCommand, GetUsagePlanKeysCommand, UpdateApiKeyCommand, UpdateUsagePlanCommand,
  type ApiKey, type ApiStage, type PatchOperation, type ThrottleSettings, type UsagePlan,
} from '@aws-sdk/client-api-gateway';
import type { ApiContext } from './apis.js';
import type { Scope, Value } from './intrinsics.js';
import { canonicalJson } from './canonical-json.js';
import { STACK_TAG } from './functions.js';
import { API_KEY_TYPE, USAGE_PLAN_KEY_TYPE, USAGE_PLAN_TYPE, generatedName } from './other-resources.js';
import { propertyReader, type PropertyReader } from './property-reader.js';
import type { ActiveResource } from './stack-model.js';
import type { UsagePlanSpec } from './auth-spec.js';
import { allPlans, planChanges } from './usage-plans.js';

/** The tag that ties a plan or key to the template resource it was made for. */
export const LOGICAL_ID_TAG = 'stagecraft:logical-id';

interface WantedKey { logicalId: string; name: string; value?: string; description?: string; enabled: boolean; customerId?: string; stageKeys: string[]; tags: Record<string, string> }
interface WantedTemplatePlan {
  logicalId: string; name: string; description?: string; throttle?: ThrottleSettings; quota?: UsagePlanSpec['quota']; apiStages: ApiStage[]; tags: Record<string, string>;
}

const record = (v: Value | undefined): Record<string, Value> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);
const num = (v: Value | undefined): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
const str = (v: Value | undefined): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** CloudFormation's {BurstLimit, RateLimit} as API Gateway's; undefined when empty (CDK writes `{}` for none). */
function throttleOf(v: Value | undefined): ThrottleSettings | undefined {
  const t = record(v);
  const out: ThrottleSettings = {};
  if (num(t.BurstLimit) !== undefined) out.burstLimit = num(t.BurstLimit);
  if (num(t.RateLimit) !== undefined) out.rateLimit = num(t.RateLimit);
  return Object.keys(out).length ? out : undefined;
}

/** Tags as CloudFormation lists them, with the stack's and the logical ID's. */
function tagsOf(r: PropertyReader, stackName: string, logicalId: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list(r.value('Tags'))) {
    const key = str(record(t).Key);
    if (key !== undefined) tags[key] = str(record(t).Value) ?? '';
  }
  return { ...tags, [STACK_TAG]: stackName, [LOGICAL_ID_TAG]: logicalId };
}

function wantedKey(res: ActiveResource, scope: Scope, stackName: string): WantedKey {
  const r = propertyReader(res, scope);
  const id = res.def.logicalId;
  const stageKeys = list(r.value('StageKeys')).map((s) => `${str(record(s).RestApiId) ?? ''}/${str(record(s).StageName) ?? ''}`);
  // CloudFormation's Enabled defaults to false (CDK writes true).
  return {
    logicalId: id, name: r.str('Name') ?? generatedName(stackName, id, 1024), value: r.str('Value'), description: r.str('Description'),
    enabled: r.value('Enabled') === true || r.value('Enabled') === 'true', customerId: r.str('CustomerId'), stageKeys, tags: tagsOf(r, stackName, id),
  };
}

function wantedPlan(res: ActiveResource, scope: Scope, stackName: string): WantedTemplatePlan {
  const r = propertyReader(res, scope);
  const id = res.def.logicalId;
  const apiStages = list(r.value('ApiStages')).map((s): ApiStage => {
    const stage = record(s);
    const methods: Record<string, ThrottleSettings> = {};
    for (const [path, t] of Object.entries(record(stage.Throttle))) {
      const throttle = throttleOf(t);
      if (throttle) methods[path] = throttle;
    }
    const apiId = str(stage.ApiId);
    const name = str(stage.Stage);
    if (!apiId || !name) r.fail('ApiStages', `${id}: each of ApiStages needs an ApiId and a Stage`);
    return { apiId, stage: name, ...(Object.keys(methods).length ? { throttle: methods } : {}) };
  });
  const q = r.value('Quota');
  const period = str(record(q).Period);
  if (q !== undefined && (num(record(q).Limit) === undefined || (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH'))) r.fail('Quota', `${id}: Quota needs a Limit and a Period (DAY, WEEK or MONTH)`);
  const quota = q === undefined ? undefined : { limit: num(record(q).Limit)!, period: period as 'DAY' | 'WEEK' | 'MONTH', offset: num(record(q).Offset) ?? 0 };
  return {
    logicalId: id, name: r.str('UsagePlanName') ?? generatedName(stackName, id, 1024), description: r.str('Description'),
    throttle: throttleOf(r.value('Throttle')), quota, apiStages, tags: tagsOf(r, stackName, id),
  };
}

async function allKeys(ctx: ApiContext): Promise<ApiKey[]> {
  const out: ApiKey[] = [];
  let position: string | undefined;
  do {
    const page = await ctx.apigateway.send(new GetApiKeysCommand({ position, limit: 500, includeValues: true }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

/** Made by this step for this stack: logical ID → the plan or key. */
function owned<T extends { tags?: Record<string, string> }>(items: T[], stackName: string): Map<string, T> {
  return new Map(items.filter((x) => x.tags?.[STACK_TAG] === stackName && x.tags[LOGICAL_ID_TAG]).map((x) => [x.tags![LOGICAL_ID_TAG], x]));
}

/** Per-method throttles of the plan's stages, comparable across deploys. */
const stageThrottles = (stages: ApiStage[]) => canonicalJson(Object.fromEntries(stages.filter((s) => s.throttle).map((s) => [`${s.apiId}:${s.stage}`, s.throttle as unknown as Value])));

async function removePlan(ctx: ApiContext, plan: UsagePlan): Promise<void> {
  const stages = (plan.apiStages ?? []).map((s) => ({ op: 'remove' as const, path: '/apiStages', value: `${s.apiId}:${s.stage}` }));
  if (stages.length) await ctx.apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: stages }));
  await ctx.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
}

function keyChanges(key: ApiKey, want: WantedKey): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (key.name !== want.name) ops.push({ op: 'replace', path: '/name', value: want.name });
  if ((key.description ?? '') !== (want.description ?? '')) ops.push({ op: 'replace', path: '/description', value: want.description ?? '' });
  if ((key.enabled ?? false) !== want.enabled) ops.push({ op: 'replace', path: '/enabled', value: String(want.enabled) });
  if ((key.customerId ?? '') !== (want.customerId ?? '')) ops.push({ op: 'replace', path: '/customerId', value: want.customerId ?? '' });
  const have = new Set(key.stageKeys ?? []);
  for (const s of want.stageKeys) if (!have.has(s)) ops.push({ op: 'add', path: '/stages', value: s });
  for (const s of have) if (!want.stageKeys.includes(s)) ops.push({ op: 'remove', path: '/stages', value: s });
  return ops;
}

/** Makes one key as wanted (replacing it when its Value changed); returns it, with its value. */
async function syncKey(ctx: ApiContext, want: WantedKey, existing: ApiKey | undefined): Promise<ApiKey> {
  const { apigateway, progress } = ctx;
  const subject = want.logicalId;
  let key = existing;
  if (key && want.value !== undefined && key.value !== want.value) {
    // Value can't be changed in place: CloudFormation replaces the key.
    const old = key;
    await ctx.step(subject, `replacing API key ${old.name} (its value changed)`, () => apigateway.send(new DeleteApiKeyCommand({ apiKey: old.id })));
    key = undefined;
  }
  if (!key) {
    const created = await ctx.step(subject, `creating API key ${want.name}`, () => apigateway.send(new CreateApiKeyCommand({
      name: want.name, value: want.value, description: want.description, enabled: want.enabled, customerId: want.customerId, tags: want.tags,
      stageKeys: want.stageKeys.map((s) => ({ restApiId: s.split('/')[0], stageName: s.split('/')[1] })),
    })));
    progress.report({ subject, kind: 'created', message: `API key ${want.name} (id ${created.id})` });
    return created;
  }
  const ops = keyChanges(key, want);
  const id = key.id;
  if (ops.length) await ctx.step(subject, `updating API key ${want.name}`, () => apigateway.send(new UpdateApiKeyCommand({ apiKey: id, patchOperations: ops })));
  progress.report({ subject, kind: ops.length ? 'updated' : 'unchanged', message: `API key ${want.name} (id ${key.id})` });
  return key;
}

/** Makes one plan as wanted (replacing it when its per-method throttles changed); returns its ID. */
async function syncPlan(ctx: ApiContext, want: WantedTemplatePlan, existing: UsagePlan | undefined): Promise<string> {
  const { apigateway, progress } = ctx;
  const subject = want.logicalId;
  let plan = existing;
  if (plan && stageThrottles(plan.apiStages ?? []) !== stageThrottles(want.apiStages)) {
    // Per-method throttles are set with the plan's stages: the plan is made anew with them.
    const old = plan;
    await ctx.step(subject, `replacing usage plan ${old.name} (its method throttles changed)`, () => removePlan(ctx, old));
    plan = undefined;
  }
  if (!plan) {
    const created = await ctx.step(subject, `creating usage plan ${want.name}`, () => apigateway.send(new CreateUsagePlanCommand({
      name: want.name, description: want.description, apiStages: want.apiStages, throttle: want.throttle, quota: want.quota, tags: want.tags,
    })));
    progress.report({ subject, kind: 'created', message: `usage plan ${want.name} (id ${created.id})` });
    return created.id!;
  }
  const stages = want.apiStages.map((s) => ({ apiId: s.apiId!, stage: s.stage! }));
  const ops = planChanges(plan, { stages, spec: { create: 'PER_API', description: want.description, throttle: want.throttle, quota: want.quota, tags: {} } });
  if (plan.name !== want.name) ops.push({ op: 'replace', path: '/name', value: want.name });
  const id = plan.id;
  if (ops.length) await ctx.step(subject, `updating usage plan ${want.name}`, () => apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: id, patchOperations: ops })));
  progress.report({ subject, kind: ops.length ? 'updated' : 'unchanged', message: `usage plan ${want.name} (id ${plan.id})` });
  return plan.id!;
}

/** Each plan's keys as `wanted` lists them: keys of the stack's own plans not listed are removed first (a key may move between plans of one stage). */
async function syncMembers(ctx: ApiContext, wanted: Map<string, Set<string>>, ownPlans: ReadonlySet<string>): Promise<void> {
  const { apigateway, progress } = ctx;
  const members = new Map<string, Set<string>>();
  for (const [planId, keys] of wanted) {
    const have = await ctx.step('UsagePlans', `reading the keys of usage plan ${planId}`, () => apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: planId, limit: 500 })));
    const ids = new Set((have.items ?? []).map((k) => k.id!));
    members.set(planId, ids);
    for (const keyId of ids) {
      if (keys.has(keyId) || !ownPlans.has(planId)) continue;
      await ctx.step('UsagePlans', `removing API key ${keyId} from usage plan ${planId}`, () => apigateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId })));
      progress.report({ subject: 'UsagePlans', kind: 'removed', message: `API key ${keyId} from usage plan ${planId}` });
    }
  }
  for (const [planId, keys] of wanted) {
    for (const keyId of keys) {
      if (members.get(planId)!.has(keyId)) continue;
      await ctx.step('UsagePlans', `adding API key ${keyId} to usage plan ${planId}`, () => apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: 'API_KEY' })));
      progress.report({ subject: 'UsagePlans', kind: 'created', message: `API key ${keyId} in usage plan ${planId}` });
    }
  }
}

/**
 * Deploys the template's plans, keys and plan keys; `setRef` records each one's ID for Ref. The
 * plan keys are read after that, since they name the plan and key by Ref.
 */
export async function syncTemplateUsagePlans(
  ctx: ApiContext, resources: ActiveResource[], scope: Scope, setRef: (logicalId: string, id: string) => void,
): Promise<void> {
  const { apigateway, progress, stackName } = ctx;
  const of = (type: string) => resources.filter((r) => r.def.type === type);
  const existingKeys = owned(await ctx.step('UsagePlans', 'listing API keys', () => allKeys(ctx)), stackName);
  const existingPlans = owned(await ctx.step('UsagePlans', 'listing usage plans', () => allPlans(ctx)), stackName);

  for (const res of of(API_KEY_TYPE)) {
    const want = await ctx.step(res.def.logicalId, 'reading the API key', async () => wantedKey(res, scope, stackName));
    const key = await syncKey(ctx, want, existingKeys.get(want.logicalId));
    existingKeys.delete(want.logicalId);
    setRef(want.logicalId, key.id!);
    // As for SAM's keys: requests to key-protected methods need the value, which a generated key shows only here.
    if (want.value === undefined) progress.note(`API key ${want.name} (id ${key.id}) is ${key.value}: send it as the x-api-key header to methods that require a key`);
  }
  const planIds = new Set<string>();
  for (const res of of(USAGE_PLAN_TYPE)) {
    const want = await ctx.step(res.def.logicalId, 'reading the usage plan', async () => wantedPlan(res, scope, stackName));
    const id = await syncPlan(ctx, want, existingPlans.get(want.logicalId));
    existingPlans.delete(want.logicalId);
    planIds.add(id);
    setRef(want.logicalId, id);
  }

  // What the template no longer has goes first, so a key may move into a plan over the same stage.
  for (const plan of existingPlans.values()) {
    await ctx.step('UsagePlans', `removing usage plan ${plan.name}`, () => removePlan(ctx, plan));
    progress.report({ subject: 'UsagePlans', kind: 'removed', message: `usage plan ${plan.name} (id ${plan.id})` });
  }
  for (const key of existingKeys.values()) {
    await ctx.step('UsagePlans', `removing API key ${key.name}`, () => apigateway.send(new DeleteApiKeyCommand({ apiKey: key.id })));
    progress.report({ subject: 'UsagePlans', kind: 'removed', message: `API key ${key.name} (id ${key.id})` });
  }

  const wanted = new Map<string, Set<string>>([...planIds].map((id) => [id, new Set<string>()]));
  for (const res of of(USAGE_PLAN_KEY_TYPE)) {
    const r = propertyReader(res, scope);
    const [planId, keyId] = await ctx.step(res.def.logicalId, 'reading the usage plan key', async () => [
      r.str('UsagePlanId') ?? r.fail('UsagePlanId', 'UsagePlanId is required'), r.str('KeyId') ?? r.fail('KeyId', 'KeyId is required'),
    ]);
    if (!wanted.has(planId)) wanted.set(planId, new Set());
    wanted.get(planId)!.add(keyId);
  }
  await syncMembers(ctx, wanted, planIds);
}
