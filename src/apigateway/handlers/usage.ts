// GetUsage and UpdateUsage: a usage plan's quota counts per key and UTC day (usage-counts.ts keeps
// them), as AWS shows them — for each key, one [used, remaining] pair per day — and UpdateUsage's
// "temporary extension to the remaining quota" of a key in the current period.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations, Usage } from '../../aws/generated/apigateway.js';
import type { UsageDayRecord, UsagePlanRecord } from '../../store/apigateway-store.js';
import { badRequest, invalidPatchPath, unsupportedOpForPath, usagePlanNotFound } from '../errors.js';
import { daysBetween, parseDay, periodDays, quotaAt } from '../usage-periods.js';
import { paginate, type Deps } from './context.js';
import { requireApiKey, withUsageLock } from './api-keys.js';
import { numberValue, requirePlan } from './usage-plans.js';

/** The longest range GetUsage answers for, in days (a bound on the answer's size). */
const MAX_DAYS = 366;

function dayParam(name: string, value: string): number {
  const ms = parseDay(value);
  if (ms === undefined) throw badRequest(`Invalid ${name} specified: ${value}. It must be a date in the form yyyy-MM-dd`);
  return ms;
}

/** One key's [used, remaining] per day from `startDate` to `endDate`; `rows` start at the first day of the period containing `startDate`. */
function dailyPairs(plan: UsagePlanRecord, rows: UsageDayRecord[], from: string, startDate: string, endDate: string): number[][] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const pairs: number[][] = [];
  let periodFirst = '';
  let sum = 0;
  for (const day of daysBetween(from, endDate)) {
    const ms = parseDay(day)!;
    const quota = quotaAt(plan.quota, plan.createdDate, ms);
    const first = quota ? periodDays(quota.period, ms).first : day;
    if (first !== periodFirst) [periodFirst, sum] = [first, 0];
    const used = byDay.get(day)?.used ?? 0;
    sum += used;
    if (day < startDate) continue;
    // Without a quota there is nothing remaining to count down; Stagecraft shows 0.
    const remaining = quota ? Math.max(0, quota.limit + (byDay.get(periodFirst)?.granted ?? 0) - sum) : 0;
    pairs.push([used, remaining]);
  }
  return pairs;
}

export function usageHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async GetUsage(input, ctx) {
      const plan = await requirePlan(deps, ctx, input.usagePlanId);
      const start = dayParam('startDate', input.startDate);
      const end = dayParam('endDate', input.endDate);
      if (end < start) throw badRequest('The endDate must not be before the startDate');
      if ((end - start) / 86_400_000 >= MAX_DAYS) throw badRequest(`Usage can be requested for at most ${MAX_DAYS} days at a time`);
      if (input.keyId !== undefined) await requireApiKey(deps, ctx, input.keyId);
      // What this node counted so far is stored first, so the answer includes it.
      await deps.usage?.flush();
      const quota = quotaAt(plan.quota, plan.createdDate, start);
      const from = quota ? periodDays(quota.period, start).first : input.startDate;
      const rows = await deps.store.listUsage(plan.id, from, input.endDate, input.keyId);
      // The plan's keys, and any other key counted in the range (one since removed from the plan).
      const keyIds = input.keyId !== undefined ? [input.keyId]
        : [...new Set([...(await deps.store.listUsagePlanKeys(plan.id)).map((k) => k.id), ...rows.map((r) => r.keyId)])].sort();
      const page = paginate(keyIds, input.position, input.limit);
      const items: Record<string, number[][]> = {};
      for (const keyId of page.items) items[keyId] = dailyPairs(plan, rows.filter((r) => r.keyId === keyId), from, input.startDate, input.endDate);
      const usage: Usage = { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate, items };
      if (page.position) usage.position = page.position;
      return usage;
    },

    async UpdateUsage(input, ctx) {
      return withUsageLock(deps, async () => {
        const plan = await requirePlan(deps, ctx, input.usagePlanId);
        const key = await requireApiKey(deps, ctx, input.keyId);
        if (!(await deps.store.listUsagePlanKeys(plan.id)).some((k) => k.id === key.id)) throw usagePlanNotFound();
        const now = deps.now();
        const quota = quotaAt(plan.quota, plan.createdDate, now);
        let remaining: number | undefined;
        for (const op of input.patchOperations ?? []) {
          if (op.path !== '/remaining') throw invalidPatchPath(op.path);
          if (op.op !== 'replace') throw unsupportedOpForPath(op.path, op.op ?? 'null');
          remaining = numberValue(op.path, op.value);
          if (!Number.isInteger(remaining) || remaining < 0) throw badRequest(`Invalid value specified for /remaining: ${op.value}`);
        }
        if (!quota) throw badRequest(`Usage plan ${plan.id} has no quota to extend`);
        await deps.usage?.flush();
        const { first, last } = periodDays(quota.period, now);
        const rows = await deps.store.listUsage(plan.id, first, last, key.id);
        const used = rows.reduce((n, r) => n + r.used, 0);
        let granted = rows.find((r) => r.day === first)?.granted ?? 0;
        if (remaining !== undefined) {
          // The extension that leaves `remaining` requests in this period; it ends with the period.
          granted = remaining - quota.limit + used;
          await deps.store.setUsageGrant(plan.id, key.id, first, granted);
          // This node's view of the key is re-read now; the other nodes' at their next flush.
          await deps.usage?.flush();
        }
        return {
          usagePlanId: plan.id, startDate: first, endDate: last,
          items: { [key.id]: [[used, Math.max(0, quota.limit + granted - used)]] },
        };
      });
    },
  };
}
