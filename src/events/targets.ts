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
const SQS_QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/** RetryPolicy's ranges, phrased as AWS's front end phrases a list member's (the generic model check does not reach into list items). */
function checkRetryPolicy(t: Target, index: number): void {
  const ranges = [['MaximumRetryAttempts', 0, 185], ['MaximumEventAgeInSeconds', 60, 86400]] as const;
  for (const [name, min, max] of ranges) {
    const value = t.RetryPolicy?.[name];
    if (value === undefined) continue;
    const at = `targets.${index + 1}.member.retryPolicy.${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    if (value > max) throw validation(`1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    if (value < min) throw validation(`1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  }
}

function checkTarget(t: Target, index: number): StoredTarget {
  checkRetryPolicy(t, index);
  if (!ARN.test(t.Arn)) throw validation(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const dlq = t.DeadLetterConfig?.Arn;
  if (dlq !== undefined && !SQS_QUEUE_ARN.test(dlq)) throw validation('Parameter DeadLetterConfig.Arn is not valid. Reason: Provided Arn is not in correct format.');
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
      const targets = input.Targets.map((t, i) => checkTarget(t, i));
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
