// A template's AWS::Events::EventBus and AWS::Events::Rule resources (and the rules SAM's Schedule,
// CloudWatchEvent and EventBridgeRule events generate) in Stagecraft's EventBridge. PutRule creates
// or updates a rule in place; its Targets are put by Id and targets no longer listed removed. A
// changed name or bus is a new rule, the old one going with the stack's other stale rules.
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand, ListEventBusesCommand, ListRulesCommand, ListTagsForResourceCommand,
  ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, TagResourceCommand, UntagResourceCommand, type Target,
} from '@aws-sdk/client-eventbridge';
import { isNotFound } from './errors.js';
import { canonicalJson } from './canonical-json.js';
import { jsonText, markedTags, ownership, STACK_TAG_KEYS, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';
import type { Value } from './intrinsics.js';

const DEFAULT_BUS = 'default';

/** A rule's bus name from EventBusName (a name or an ARN). */
export const busName = (v: Value | undefined): string => {
  const s = text(v);
  return !s ? DEFAULT_BUS : s.startsWith('arn:') ? s.slice(s.lastIndexOf('/') + 1) : s;
};

/** CloudFormation's Targets as PutTargets takes them. */
export function ruleTargets(props: Props): Target[] {
  const list = Array.isArray(props.Targets) ? props.Targets : [];
  return list.map((t) => {
    const o = (t ?? {}) as Record<string, Value>;
    const transformer = o.InputTransformer as Record<string, Value> | undefined;
    return {
      Id: String(o.Id), Arn: String(o.Arn), Input: jsonText(o.Input), InputPath: text(o.InputPath), RoleArn: text(o.RoleArn),
      InputTransformer: transformer ? { InputPathsMap: transformer.InputPathsMap as Record<string, string> | undefined, InputTemplate: String(transformer.InputTemplate) } : undefined,
      SqsParameters: o.SqsParameters as Target['SqsParameters'],
      RetryPolicy: o.RetryPolicy as Target['RetryPolicy'],
      DeadLetterConfig: o.DeadLetterConfig as Target['DeadLetterConfig'],
    };
  });
}

/** What PutRule sets, to compare a rule with the template's (patterns as JSON). */
const ruleShape = (r: { EventPattern?: string; ScheduleExpression?: string; State?: string; Description?: string; RoleArn?: string }) => ({
  EventPattern: r.EventPattern ? JSON.parse(r.EventPattern) as unknown : undefined, ScheduleExpression: r.ScheduleExpression, State: r.State,
  Description: r.Description || undefined, RoleArn: r.RoleArn,
});

export async function syncEventBus(ctx: ServiceContext, r: WantedResource): Promise<string> {
  const tags = markedTags(ctx.stackName, r.retain, r.props.Tags);
  const existing = await ctx.clients.events.send(new DescribeEventBusCommand({ Name: r.name })).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  const arn = existing?.Arn ?? (await ctx.clients.events.send(new CreateEventBusCommand({ Name: r.name, Description: text(r.props.Description), Tags: tags }))).EventBusArn!;
  if (existing) await ctx.clients.events.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags }));
  ctx.log.report({ subject: r.logicalId, kind: existing ? 'unchanged' : 'created', message: `EventBridge event bus ${r.name}` });
  return arn;
}

/** Puts the rule and its targets; the rule's ARN. */
export async function syncRule(ctx: ServiceContext, r: WantedResource): Promise<string> {
  const bus = busName(r.props.EventBusName);
  const rule = {
    Name: r.name, EventBusName: bus, EventPattern: jsonText(r.props.EventPattern), ScheduleExpression: text(r.props.ScheduleExpression),
    State: (text(r.props.State) ?? 'ENABLED') as 'ENABLED', Description: text(r.props.Description), RoleArn: text(r.props.RoleArn),
  };
  const existing = await ctx.clients.events.send(new DescribeRuleCommand({ Name: r.name, EventBusName: bus })).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  const sameRule = existing !== undefined && canonicalJson(ruleShape(existing)) === canonicalJson(ruleShape(rule));
  const RuleArn = sameRule ? existing.Arn! : (await ctx.clients.events.send(new PutRuleCommand(rule))).RuleArn!;
  await ctx.clients.events.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: markedTags(ctx.stackName, r.retain, r.props.Tags) }));
  const targets = ruleTargets(r.props);
  const before = existing ? (await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: r.name, EventBusName: bus }))).Targets ?? [] : [];
  const gone = before.map((t) => t.Id!).filter((id) => !targets.some((t) => t.Id === id));
  const sameTargets = !gone.length && canonicalJson(targets) === canonicalJson(before.filter((t) => targets.some((x) => x.Id === t.Id)));
  if (gone.length) await ctx.clients.events.send(new RemoveTargetsCommand({ Rule: r.name, EventBusName: bus, Ids: gone }));
  if (targets.length && !sameTargets) await ctx.clients.events.send(new PutTargetsCommand({ Rule: r.name, EventBusName: bus, Targets: targets }));
  const kind = !existing ? 'created' : sameRule && sameTargets ? 'unchanged' : 'updated';
  ctx.log.report({ subject: r.logicalId, kind, message: `EventBridge rule ${r.name} (${targets.length} target${targets.length === 1 ? '' : 's'})` });
  return RuleArn;
}

async function tagsOf(ctx: ServiceContext, arn: string): Promise<Record<string, string>> {
  const { Tags } = await ctx.clients.events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  return Object.fromEntries((Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

async function buses(ctx: ServiceContext): Promise<{ name: string; arn: string }[]> {
  const out: { name: string; arn: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.events.send(new ListEventBusesCommand({ NextToken }));
    out.push(...(page.EventBuses ?? []).map((b) => ({ name: b.Name!, arn: b.Arn! })));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** The stack's rules (ARNs not in `keepRules`) and then buses (names not in `keepBuses`): deleted, or, retained, unmarked. */
export async function removeStaleRulesAndBuses(ctx: ServiceContext, keepRules: ReadonlySet<string>, keepBuses: ReadonlySet<string>): Promise<void> {
  const all = await buses(ctx);
  for (const bus of all) {
    let NextToken: string | undefined;
    const rules: { name: string; arn: string }[] = [];
    do {
      const page = await ctx.clients.events.send(new ListRulesCommand({ EventBusName: bus.name, NextToken }));
      rules.push(...(page.Rules ?? []).map((x) => ({ name: x.Name!, arn: x.Arn! })));
      NextToken = page.NextToken;
    } while (NextToken);
    for (const rule of rules) {
      if (keepRules.has(rule.arn)) continue;
      const own = ownership(await tagsOf(ctx, rule.arn), ctx.stackName);
      if (own === 'other') continue;
      if (ctx.dryRun) { /* only found */ } else if (own === 'retain') {
        await ctx.clients.events.send(new UntagResourceCommand({ ResourceARN: rule.arn, TagKeys: STACK_TAG_KEYS }));
      } else {
        const targets = (await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: bus.name }))).Targets ?? [];
        if (targets.length) await ctx.clients.events.send(new RemoveTargetsCommand({ Rule: rule.name, EventBusName: bus.name, Ids: targets.map((t) => t.Id!) }));
        await ctx.clients.events.send(new DeleteRuleCommand({ Name: rule.name, EventBusName: bus.name }));
      }
      ctx.log.report({ subject: 'Rules', kind: 'removed', message: `EventBridge rule ${rule.name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    }
  }
  for (const bus of all) {
    if (bus.name === DEFAULT_BUS || keepBuses.has(bus.name)) continue;
    const own = ownership(await tagsOf(ctx, bus.arn), ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.events.send(new UntagResourceCommand({ ResourceARN: bus.arn, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.events.send(new DeleteEventBusCommand({ Name: bus.name }));
    ctx.log.report({ subject: 'EventBuses', kind: 'removed', message: `EventBridge event bus ${bus.name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
  }
}
