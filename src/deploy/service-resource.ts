// One queue, topic, subscription, rule, event bus or bucket a deploy puts into Stagecraft's SQS,
// SNS, EventBridge or S3: the template's (or one SAM's transform generates from a function's
// events), its properties evaluated, and its physical name as !Ref / !GetAtt give it
// (other-resources.ts works those out before anything is deployed, as CloudFormation's would be).
import type { Change } from './progress.js';
import type { Props, ServiceClients } from './service-clients.js';

export const SQS_QUEUE_TYPE = 'AWS::SQS::Queue';
export const SQS_QUEUE_POLICY_TYPE = 'AWS::SQS::QueuePolicy';
export const SNS_TOPIC_TYPE = 'AWS::SNS::Topic';
export const SNS_SUBSCRIPTION_TYPE = 'AWS::SNS::Subscription';
export const SNS_TOPIC_POLICY_TYPE = 'AWS::SNS::TopicPolicy';
export const EVENTS_RULE_TYPE = 'AWS::Events::Rule';
export const EVENT_BUS_TYPE = 'AWS::Events::EventBus';
export const S3_BUCKET_TYPE = 'AWS::S3::Bucket';
export const DYNAMODB_TABLE_TYPE = 'AWS::DynamoDB::Table';
export const SIMPLE_TABLE_TYPE = 'AWS::Serverless::SimpleTable';
export const SSM_PARAMETER_TYPE = 'AWS::SSM::Parameter';
export const SECRET_TYPE = 'AWS::SecretsManager::Secret';
/** Put into DynamoDB, Parameter Store and Secrets Manager before the functions (data-resources.ts): their environments name them. */
export const DATA_TYPES: readonly string[] = [DYNAMODB_TABLE_TYPE, SIMPLE_TABLE_TYPE, SSM_PARAMETER_TYPE, SECRET_TYPE];

/** The types a deploy puts into Stagecraft's SQS, SNS, EventBridge and S3: no longer skipped. */
export const SERVICE_TYPES: readonly string[] = [
  SQS_QUEUE_TYPE, SQS_QUEUE_POLICY_TYPE, SNS_TOPIC_TYPE, SNS_SUBSCRIPTION_TYPE, SNS_TOPIC_POLICY_TYPE, EVENTS_RULE_TYPE, EVENT_BUS_TYPE, S3_BUCKET_TYPE, ...DATA_TYPES,
];

/** SAM function event types whose sources these services now run. */
export const SERVICE_EVENT_TYPES: readonly string[] = ['S3', 'SNS', 'SQS', 'Schedule', 'CloudWatchEvent', 'EventBridgeRule'];

export interface WantedResource {
  logicalId: string;
  type: string;
  props: Props;
  /** DeletionPolicy Retain (or RetainExceptOnCreate). */
  retain: boolean;
  /** The physical name: queue, topic, rule, bus or bucket name (empty for policies and subscriptions). */
  name: string;
}

export interface ServiceContext {
  clients: ServiceClients;
  stackName: string;
  region: string;
  accountId: string;
  log: { report(change: Change): void };
  step: <T>(subject: string, action: string, fn: () => Promise<T>) => Promise<T>;
  /** Removals only found and reported, nothing changed (what `stagecraft delete` would remove). */
  dryRun?: boolean;
}

export const arnOf = (ctx: Pick<ServiceContext, 'region' | 'accountId'>, service: string, resource: string) => `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
