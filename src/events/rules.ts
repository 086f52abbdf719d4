// Rule operations: PutRule (an event pattern and/or a schedule, validated as AWS does),
// DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule and TestEventPattern.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, Rule } from '../aws/generated/events.js';
import type { EventsScope, StoredRule } from '../store/events-store.js';
import { compileEventPattern, matchesPattern } from './event-pattern.js';
import { validation } from './errors.js';
import { parseSchedule } from './schedule.js';
import { DEFAULT_BUS, existingBus, existingRule, page, ruleArn, scopeOf, type EventsDeps } from './resources.js';

const describe = (scope: EventsScope, r: StoredRule): Rule => ({
  Name: r.name,
  Arn: ruleArn(scope, r.busName, r.name),
  ...(r.eventPattern !== undefined ? { EventPattern: r.eventPattern } : {}),
  ...(r.scheduleExpression !== undefined ? { ScheduleExpression: r.scheduleExpression } : {}),
  State: r.state,
  ...(r.description !== undefined ? { Description: r.description } : {}),
  ...(r.roleArn !== undefined ? { RoleArn: r.roleArn } : {}),
  EventBusName: r.busName,
});

/** The envelope fields TestEventPattern requires of its event. */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function ruleHandlers(deps: EventsDeps): HandlerTable<Operations> {
  const { store } = deps;
  return {
    async PutRule(input, ctx) {
      const scope = scopeOf(ctx);
      const busName = await existingBus(deps, scope, input.EventBusName);
      if (input.EventPattern === undefined && input.ScheduleExpression === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (input.EventPattern !== undefined) compileEventPattern(input.EventPattern);
      if (input.ScheduleExpression !== undefined) {
        if (busName !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
        parseSchedule(input.ScheduleExpression);
      }
      const existing = await store.getRule(scope, busName, input.Name);
      const now = deps.scheduleClock();
      const sameSchedule = existing?.scheduleExpression === input.ScheduleExpression;
      await store.putRule(scope, {
        busName, name: input.Name,
        ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
        ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
        state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
        // Tags are set when a rule is created; TagResource changes them after.
        tags: existing?.tags ?? input.Tags ?? [],
        createdMs: existing?.createdMs ?? deps.now(),
        // A changed schedule starts from now: its first tick is the next one after this call.
        scheduleAnchorMs: existing && sameSchedule ? existing.scheduleAnchorMs : now,
        lastTickMs: existing && sameSchedule ? existing.lastTickMs : now,
      });
      return { RuleArn: ruleArn(scope, busName, input.Name) };
    },

    async DescribeRule(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Name);
      return { ...describe(scope, rule), CreatedBy: scope.accountId };
    },

    async ListRules(input, ctx) {
      const scope = scopeOf(ctx);
      const busName = await existingBus(deps, scope, input.EventBusName);
      const rules = (await store.listRules(scope, busName)).filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix));
      const { items, next } = page(rules, (r) => r.name, input.Limit, input.NextToken);
      return { Rules: items.map((r) => describe(scope, r)), ...(next ? { NextToken: next } : {}) };
    },

    async EnableRule(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Name);
      if (rule.state === 'ENABLED') return;
      // Ticks passed while disabled are not fired: the schedule resumes from now.
      await store.putRule(scope, { ...rule, state: 'ENABLED', lastTickMs: Math.max(rule.lastTickMs, deps.scheduleClock()) });
    },

    async DisableRule(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Name);
      if (rule.state !== 'DISABLED') await store.putRule(scope, { ...rule, state: 'DISABLED' });
    },

    async DeleteRule(input, ctx) {
      const scope = scopeOf(ctx);
      const busName = await existingBus(deps, scope, input.EventBusName);
      const rule = await store.getRule(scope, busName, input.Name);
      if (!rule) return;
      if ((await store.listTargets(scope, busName, input.Name)).length) throw validation('Rule can\'t be deleted since it has targets.');
      await store.deleteRule(scope, busName, input.Name);
    },

    TestEventPattern(input) {
      const pattern = compileEventPattern(input.EventPattern);
      let event: unknown;
      try {
        event = JSON.parse(input.Event);
      } catch {
        throw validation('Parameter Event is not valid.');
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event) || REQUIRED_EVENT_FIELDS.some((f) => !Object.hasOwn(event as object, f))) {
        throw validation('Parameter Event is not valid.');
      }
      return { Result: matchesPattern(pattern, event) };
    },
  };
}
