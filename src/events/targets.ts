// Target operations: PutTargets (at most five per rule, one of Input, InputPath or
// InputTransformer, checked as AWS does), RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, Target } from '../aws/generated/events.js';
import type { StoredTarget } from '../store/events-store.js';
import { limitExceeded, validation } from './errors.js';
import { validateTargetInput } from './input-transform.js';
import { existingBus, existingRule, page, scopeOf, type EventsDeps } from './resources.js';

/** AWS's quota of targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

function checkTarget(t: Target): StoredTarget {
  if (!ARN.test(t.Arn)) throw validation(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const inputs = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (inputs > 1) throw validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw validation(`Target ${t.Id} has invalid Input. Input must be valid JSON text.`);
    }
  }
  const stored = JSON.parse(JSON.stringify(t)) as StoredTarget;
  validateTargetInput(stored);
  return stored;
}

export function targetHandlers(deps: EventsDeps): HandlerTable<Operations> {
  const { store } = deps;
  return {
    async PutTargets(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Rule);
      const targets = input.Targets.map(checkTarget);
      const existing = await store.listTargets(scope, rule.busName, rule.name);
      const ids = new Set([...existing.map((t) => t.Id), ...targets.map((t) => t.Id)]);
      if (ids.size > MAX_TARGETS_PER_RULE) throw limitExceeded(`The requested resource exceeds the maximum number allowed.`);
      await store.putTargets(scope, rule.busName, rule.name, targets);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async RemoveTargets(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Rule);
      await store.removeTargets(scope, rule.busName, rule.name, input.Ids);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async ListTargetsByRule(input, ctx) {
      const scope = scopeOf(ctx);
      const rule = await existingRule(deps, scope, input.EventBusName, input.Rule);
      const { items, next } = page(await store.listTargets(scope, rule.busName, rule.name), (t) => t.Id, input.Limit, input.NextToken);
      return { Targets: items as unknown as Target[], ...(next ? { NextToken: next } : {}) };
    },

    async ListRuleNamesByTarget(input, ctx) {
      const scope = scopeOf(ctx);
      const busName = await existingBus(deps, scope, input.EventBusName);
      const names = [...new Set((await store.listBusTargets(scope, busName)).filter((t) => t.target.Arn === input.TargetArn).map((t) => t.ruleName))];
      const { items, next } = page(names, (n) => n, input.Limit, input.NextToken);
      return { RuleNames: items, ...(next ? { NextToken: next } : {}) };
    },
  };
}
