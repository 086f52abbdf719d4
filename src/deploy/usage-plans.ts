// An API's Auth.UsagePlan as SAM translates it: a usage plan listing the API's stages (PER_API), or
// one plan for every SHARED API of the stack, each with an enabled API key added to the plan. Plans
// and keys are found by name, so re-deploying changes only what differs; the key's value is shown,
// since requests to key-protected routes need it.
import {
  CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeyCommand, GetApiKeysCommand, GetUsagePlanKeysCommand,
  GetUsagePlansCommand, UpdateApiKeyCommand, UpdateUsagePlanCommand, type ApiKey, type PatchOperation, type UsagePlan,
} from '@aws-sdk/client-api-gateway';
import type { ApiContext } from './apis.js';
import type { UsagePlanSpec } from './auth-spec.js';
import { STACK_TAG } from './functions.js';

/** A plan to make exactly so: its name, settings, the API stages it lists and the name of its key. */
export interface WantedPlan {
  /** Who asks for it (an API's logical id, or ServerlessUsagePlan), for progress lines. */
  subject: string;
  name: string;
  keyName: string;
  spec: UsagePlanSpec;
  stages: { apiId: string; stage: string }[];
}

/** SAM's names: {Api}UsagePlan / {Api}ApiKey per API, ServerlessUsagePlan / ServerlessApiKey when shared; prefixed with the stack. */
export function wantedPlanNames(stackName: string, apiLogicalId: string, spec: UsagePlanSpec): { subject: string; name: string; keyName: string } {
  const base = spec.create === 'SHARED' ? 'Serverless' : apiLogicalId;
  return { subject: spec.create === 'SHARED' ? 'ServerlessUsagePlan' : apiLogicalId, name: spec.name ?? `${stackName}-${base}UsagePlan`, keyName: `${stackName}-${base}ApiKey` };
}

export async function allPlans(ctx: ApiContext): Promise<UsagePlan[]> {
  const out: UsagePlan[] = [];
  let position: string | undefined;
  do {
    const page = await ctx.apigateway.send(new GetUsagePlansCommand({ position, limit: 500 }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

async function keyNamed(ctx: ApiContext, name: string): Promise<ApiKey | undefined> {
  let position: string | undefined;
  do {
    const page = await ctx.apigateway.send(new GetApiKeysCommand({ nameQuery: name, position, limit: 500 }));
    const found = page.items?.find((k) => k.name === name);
    if (found) return found;
    position = page.position;
  } while (position);
  return undefined;
}

/** The patch that makes `plan`'s settings and stages the wanted ones. */
export function planChanges(plan: UsagePlan, want: Pick<WantedPlan, 'spec' | 'stages'>): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const s = want.spec;
  if ((plan.description ?? '') !== (s.description ?? '')) ops.push({ op: 'replace', path: '/description', value: s.description ?? '' });
  if (s.throttle) {
    if (s.throttle.burstLimit !== undefined && plan.throttle?.burstLimit !== s.throttle.burstLimit) ops.push({ op: 'replace', path: '/throttle/burstLimit', value: String(s.throttle.burstLimit) });
    if (s.throttle.rateLimit !== undefined && plan.throttle?.rateLimit !== s.throttle.rateLimit) ops.push({ op: 'replace', path: '/throttle/rateLimit', value: String(s.throttle.rateLimit) });
  } else if (plan.throttle) {
    ops.push({ op: 'remove', path: '/throttle' });
  }
  if (s.quota) {
    if (plan.quota?.limit !== s.quota.limit) ops.push({ op: 'replace', path: '/quota/limit', value: String(s.quota.limit) });
    if (plan.quota?.period !== s.quota.period) ops.push({ op: 'replace', path: '/quota/period', value: s.quota.period });
    if ((plan.quota?.offset ?? 0) !== (s.quota.offset ?? 0)) ops.push({ op: 'replace', path: '/quota/offset', value: String(s.quota.offset ?? 0) });
  } else if (plan.quota) {
    ops.push({ op: 'remove', path: '/quota' });
  }
  const key = (x: { apiId?: string; stage?: string }) => `${x.apiId}:${x.stage}`;
  const have = new Set((plan.apiStages ?? []).map(key));
  const wanted = new Set(want.stages.map(key));
  for (const k of wanted) if (!have.has(k)) ops.push({ op: 'add', path: '/apiStages', value: k });
  for (const k of have) if (!wanted.has(k)) ops.push({ op: 'remove', path: '/apiStages', value: k });
  return ops;
}

/** Makes the plan, its key and their link as wanted; returns the plan's id, the key's id and value. */
export async function syncUsagePlan(ctx: ApiContext, want: WantedPlan): Promise<{ planId: string; keyId: string; value: string }> {
  const { apigateway, progress } = ctx;
  const { subject, spec } = want;
  const existing = (await ctx.step(subject, 'listing usage plans', () => allPlans(ctx))).find((p) => p.name === want.name);
  let plan: UsagePlan;
  if (!existing) {
    plan = await ctx.step(subject, `creating usage plan ${want.name}`, () => apigateway.send(new CreateUsagePlanCommand({
      name: want.name, description: spec.description, apiStages: want.stages, throttle: spec.throttle, quota: spec.quota,
      tags: { ...spec.tags, [STACK_TAG]: ctx.stackName },
    })));
    progress.report({ subject, kind: 'created', message: `usage plan ${want.name} (id ${plan.id})` });
  } else {
    plan = existing;
    const ops = planChanges(existing, want);
    if (ops.length) {
      await ctx.step(subject, `updating usage plan ${want.name}`, () => apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: existing.id, patchOperations: ops })));
    }
    progress.report({ subject, kind: ops.length ? 'updated' : 'unchanged', message: `usage plan ${want.name} (id ${existing.id})` });
  }

  let key = await ctx.step(subject, `looking up API key ${want.keyName}`, () => keyNamed(ctx, want.keyName));
  if (!key) {
    key = await ctx.step(subject, `creating API key ${want.keyName}`, () => apigateway.send(new CreateApiKeyCommand({ name: want.keyName, enabled: true, tags: { [STACK_TAG]: ctx.stackName } })));
    progress.report({ subject, kind: 'created', message: `API key ${want.keyName} (id ${key.id})` });
  } else if (!key.enabled) {
    const id = key.id;
    await ctx.step(subject, `enabling API key ${want.keyName}`, () => apigateway.send(new UpdateApiKeyCommand({ apiKey: id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] })));
    progress.report({ subject, kind: 'updated', message: `API key ${want.keyName} (id ${key.id}): enabled` });
  } else {
    progress.report({ subject, kind: 'unchanged', message: `API key ${want.keyName} (id ${key.id})` });
  }
  const keyId = key.id!;
  const members = await ctx.step(subject, `reading the keys of usage plan ${want.name}`, () => apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id, limit: 500 })));
  if (!(members.items ?? []).some((k) => k.id === keyId)) {
    await ctx.step(subject, `adding API key ${want.keyName} to usage plan ${want.name}`, () => apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId, keyType: 'API_KEY' })));
    progress.report({ subject, kind: 'created', message: `API key ${want.keyName} in usage plan ${want.name}` });
  }
  const withValue = await ctx.step(subject, `reading API key ${want.keyName}`, () => apigateway.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true })));
  return { planId: plan.id!, keyId, value: withValue.value ?? '' };
}
