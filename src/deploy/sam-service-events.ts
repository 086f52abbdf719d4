// SAM's function events that these services now run, expanded as SAM's transform expands them:
// `Schedule` → an AWS::Events::Rule `{Function}{Event}` with a ScheduleExpression; `CloudWatchEvent`
// and `EventBridgeRule` → a rule `{Function}{Event}` with an EventPattern; `SNS` → an
// AWS::SNS::Subscription `{Function}{Event}` (protocol lambda); `S3` → a LambdaConfiguration added
// to the bucket's NotificationConfiguration (the bucket must be in the template). Each comes with
// the AWS::Lambda::Permission `{Function}{Event}Permission` that lets the service call the
// function (its alias, with AutoPublishAlias), granted before the source is wired. `SQS` → an
// AWS::Lambda::EventSourceMapping `{Function}{Event}` (no permission: Lambda polls the queue).
import { eventSources } from './api-events.js';
import { evaluateValue, type Scope, type Value } from './intrinsics.js';
import { TemplateError } from './issues.js';
import { permissionStatementId, type LambdaPermissionSpec } from './lambda-permission-spec.js';
import { generatedName } from './other-resources.js';
import type { ActiveResource, StackIdentity } from './stack-model.js';
import { get } from './source.js';
import { busName } from './events-resources.js';
import { EVENTS_RULE_TYPE, S3_BUCKET_TYPE, SERVICE_EVENT_TYPES, SNS_SUBSCRIPTION_TYPE, type WantedResource } from './service-resource.js';
import type { Props } from './service-clients.js';
import { mappingOf, type MappingInput } from './event-source-mappings.js';

/** What a function's service events add to the stack. */
export interface ServiceEventResources {
  rules: WantedResource[];
  subscriptions: WantedResource[];
  /** LambdaConfigurations to add to buckets' NotificationConfiguration, by bucket logical ID. */
  bucketNotifications: Map<string, Props[]>;
  permissions: LambdaPermissionSpec[];
  /** Event source mappings of SQS events (put with the template's own mappings: event-source-mappings.ts). */
  mappings: MappingInput[];
}

/** The function a service event calls: the deployed function's ARN, or its alias's. */
export interface EventTarget {
  logicalId: string;
  name: string;
  arn: string;
  aliasArn?: string;
  qualifier?: string;
}

const asProps = (v: Value): Props => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** A rule's ARN as EventBridge gives it: `rule/{name}` on the default bus, `rule/{bus}/{name}` on another. */
export function ruleArn(identity: Pick<StackIdentity, 'region' | 'accountId'>, bus: string, name: string): string {
  return `arn:aws:events:${identity.region}:${identity.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

/** Expands the service events of the function resources. */
export function serviceEventResources(identity: StackIdentity, functions: readonly ActiveResource[], scope: Scope, targets: ReadonlyMap<string, EventTarget>,
  bucketOf: (logicalId: string) => ActiveResource | undefined): ServiceEventResources {
  const out: ServiceEventResources = { rules: [], subscriptions: [], bucketNotifications: new Map(), permissions: [], mappings: [] };
  for (const fn of functions) {
    const target = targets.get(fn.def.logicalId);
    if (!target) continue;
    const targetArn = target.aliasArn ?? target.arn;
    for (const e of eventSources(fn)) {
      if (!e.type || !SERVICE_EVENT_TYPES.includes(e.type)) continue;
      const id = `${fn.def.logicalId}${e.name}`;
      const props = e.props ? asProps(evaluateValue(e.props, scope)) : {};
      const permission = (principal: string, sourceArn: string, sourceAccount?: string): LambdaPermissionSpec => ({
        logicalId: `${id}Permission`, loc: e.loc, statementId: permissionStatementId(identity.stackName, `${id}Permission`),
        functionName: target.name, qualifier: target.qualifier, action: 'lambda:InvokeFunction', principal, sourceArn, sourceAccount,
      });
      const retain = false;
      if (e.type === 'Schedule' || e.type === 'CloudWatchEvent' || e.type === 'EventBridgeRule') {
        const bus = busName(props.EventBusName);
        const name = String(props.Name ?? props.RuleName ?? generatedName(identity.stackName, id, 64));
        const lambdaTarget: Props = { Id: String(asProps(props.Target ?? {}).Id ?? `${id}LambdaTarget`), Arn: targetArn };
        for (const key of ['Input', 'InputPath', 'InputTransformer', 'DeadLetterConfig', 'RetryPolicy'] as const) if (props[key] !== undefined) lambdaTarget[key] = props[key];
        const state = props.State ?? (props.Enabled === false || props.Enabled === 'false' ? 'DISABLED' : 'ENABLED');
        const ruleProps: Props = { EventBusName: bus, State: state, Targets: [lambdaTarget] };
        if (e.type === 'Schedule') ruleProps.ScheduleExpression = props.Schedule;
        else ruleProps.EventPattern = props.Pattern;
        if (props.Description !== undefined) ruleProps.Description = props.Description;
        out.rules.push({ logicalId: id, type: EVENTS_RULE_TYPE, props: ruleProps, retain, name });
        out.permissions.push(permission('events.amazonaws.com', ruleArn(identity, bus, name)));
      } else if (e.type === 'SQS') {
        if (typeof props.Queue !== 'string') throw new TemplateError(`${fn.def.logicalId}'s SQS event ${e.name} needs Queue (the queue's ARN)`, e.path, e.loc);
        out.mappings.push(mappingOf(id, props.Queue, targetArn, props));
      } else if (e.type === 'SNS') {
        const topic = String(props.Topic);
        const sub: Props = { TopicArn: topic, Protocol: 'lambda', Endpoint: targetArn };
        for (const key of ['FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy'] as const) if (props[key] !== undefined) sub[key] = props[key];
        out.permissions.push(permission('sns.amazonaws.com', topic));
        out.subscriptions.push({ logicalId: id, type: SNS_SUBSCRIPTION_TYPE, props: sub, retain, name: '' });
      } else {
        const node = e.props ? get(e.props, 'Bucket') : undefined;
        const ref = node?.kind === 'map' && node.entries.length === 1 && node.entries[0].key === 'Ref' && node.entries[0].value.kind === 'scalar' ? String(node.entries[0].value.value) : undefined;
        const bucket = ref ? bucketOf(ref) : undefined;
        if (!bucket || bucket.def.type !== S3_BUCKET_TYPE) {
          throw new TemplateError(`${fn.def.logicalId}'s S3 event ${e.name}: Bucket must be !Ref to an AWS::S3::Bucket in this template (as SAM requires)`, node?.path ?? e.path, node?.loc ?? e.loc);
        }
        const events = Array.isArray(props.Events) ? props.Events.map(String) : [String(props.Events)];
        const list = out.bucketNotifications.get(ref!) ?? [];
        for (const event of events) list.push({ Event: event, Function: targetArn, ...(props.Filter !== undefined ? { Filter: props.Filter } : {}) });
        out.bucketNotifications.set(ref!, list);
        out.permissions.push(permission('s3.amazonaws.com', `arn:aws:s3:::${String(props.Bucket)}`, identity.accountId));
      }
    }
  }
  return out;
}
