// Resources of types Stagecraft doesn't run (DynamoDB tables, IAM roles, …):
// `stagecraft deploy` skips them, and a template's references to them resolve to what
// CloudFormation would give, so functions get usable names, URLs and ARNs to reach the real
// thing elsewhere (DynamoDB Local, MinIO, ElasticMQ, AWS). Names CloudFormation would generate
// are `{stack}-{LogicalId}-{13 upper-case letters and digits}`, the suffix derived from the stack
// name and logical ID, so every deploy of the stack gives the same ones.
import { createHash } from 'node:crypto';
import { TemplateError, didYouMean } from './issues.js';
import { evaluate, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { get, type TNode } from './source.js';
import { SUPPORTED_RESOURCE_TYPES } from './spec.js';
import { SERVICE_TYPES } from './service-resource.js';

export const LAMBDA_PERMISSION_TYPE = 'AWS::Lambda::Permission';
/** Not a deployed type (it resolves like the skipped ones), but put into Stagecraft's CloudWatch: metric-alarms.ts. */
export const ALARM_TYPE = 'AWS::CloudWatch::Alarm';
export const COMPOSITE_ALARM_TYPE = 'AWS::CloudWatch::CompositeAlarm';
/** The alarm types a deploy puts into Stagecraft's CloudWatch. */
export const CLOUDWATCH_ALARM_TYPES: readonly string[] = [ALARM_TYPE, COMPOSITE_ALARM_TYPE];
/** Put into Stagecraft's CloudWatch by a deploy too: dashboards.ts. */
export const DASHBOARD_TYPE = 'AWS::CloudWatch::Dashboard';
/** Put into Stagecraft's CloudWatch Logs: metric-filters.ts. */
export const METRIC_FILTER_TYPE = 'AWS::Logs::MetricFilter';
/** Put into Stagecraft's CloudWatch Logs: subscription-filters.ts. */
export const SUBSCRIPTION_FILTER_TYPE = 'AWS::Logs::SubscriptionFilter';
/** A template's own usage plans and API keys, put into Stagecraft's API Gateway: template-usage-plans.ts. Ref gives their ID once deployed. */
export const USAGE_PLAN_TYPE = 'AWS::ApiGateway::UsagePlan';
export const API_KEY_TYPE = 'AWS::ApiGateway::ApiKey';
export const USAGE_PLAN_KEY_TYPE = 'AWS::ApiGateway::UsagePlanKey';
export const USAGE_PLAN_TYPES: readonly string[] = [USAGE_PLAN_TYPE, API_KEY_TYPE, USAGE_PLAN_KEY_TYPE];
/** Types resolved like the skipped ones but put into Stagecraft's CloudWatch and CloudWatch Logs, so not reported as skipped. */
export const CLOUDWATCH_TYPES: readonly string[] = [...CLOUDWATCH_ALARM_TYPES, DASHBOARD_TYPE, METRIC_FILTER_TYPE, SUBSCRIPTION_FILTER_TYPE];
/** Resolved like the skipped ones but put into Stagecraft's SQS, SNS, EventBridge and S3 (service-resources.ts), so not reported as skipped either. */
export const PROVISIONED_TYPES: readonly string[] = [...CLOUDWATCH_TYPES, ...SERVICE_TYPES];

/** The types `stagecraft deploy` creates. */
export const DEPLOYED_TYPES = [...SUPPORTED_RESOURCE_TYPES, LAMBDA_PERMISSION_TYPE];

/** SAM resource types other than the ones deployed: valid, skipped like other services' resources. */
const OTHER_SAM_TYPES = ['AWS::Serverless::SimpleTable', 'AWS::Serverless::StateMachine', 'AWS::Serverless::Connector', 'AWS::Serverless::GraphQLApi', 'AWS::Serverless::CapacityProvider'];

/** Types that stand for a whole other template: skipping them would silently drop its functions and APIs. */
const NESTED_TYPES: Record<string, string> = {
  'AWS::Serverless::Application': 'nested applications are not supported: deploy the application\'s own template with stagecraft deploy (as its own stack)',
  'AWS::CloudFormation::Stack': 'nested stacks are not supported: deploy the nested template with stagecraft deploy (as its own stack)',
};

export type TypeVerdict = { kind: 'deploy' } | { kind: 'skip' } | { kind: 'refuse'; message: string };

/** Whether a resource type is deployed, skipped (another service's), or refused (nested stacks, misspelled SAM types, not a type at all). */
export function resourceTypeVerdict(type: string): TypeVerdict {
  if (DEPLOYED_TYPES.includes(type)) return { kind: 'deploy' };
  if (type in NESTED_TYPES) return { kind: 'refuse', message: `resource type ${type}: ${NESTED_TYPES[type]}` };
  const sam = [...DEPLOYED_TYPES.filter((t) => t.startsWith('AWS::Serverless::')), ...OTHER_SAM_TYPES, ...Object.keys(NESTED_TYPES)];
  if (type.startsWith('AWS::Serverless::')) {
    return OTHER_SAM_TYPES.includes(type) ? { kind: 'skip' } : { kind: 'refuse', message: `unknown SAM resource type ${type}${didYouMean(type, sam)}` };
  }
  if (/^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(type) || /^Custom::[A-Za-z0-9_@-]{1,60}$/.test(type)) return { kind: 'skip' };
  return {
    kind: 'refuse',
    message: `'${type}' is not a resource type (they look like AWS::Service::Resource, or Custom::Name)${didYouMean(type, [...sam, ...DEPLOYED_TYPES, ...Object.keys(OTHER_TYPES)])}`,
  };
}

/** The warning for a skipped resource (or, with --strict, the error). */
export function skippedResourceMessage(logicalId: string, type: string, strict: boolean): string {
  if (strict) {
    return `resource type ${type} is not supported: stagecraft deploy creates ${DEPLOYED_TYPES.slice(0, -1).join(', ')} and ${DEPLOYED_TYPES.at(-1)} `
      + '(without --strict, other resources are skipped with a warning)';
  }
  const lookalike = type in OTHER_TYPES || type.startsWith('Custom::') ? '' : didYouMean(type, Object.keys(OTHER_TYPES));
  if (type === 'AWS::Logs::LogGroup') {
    return `${logicalId} (${type}) is not created: Stagecraft's CloudWatch Logs makes a log group when something first writes to it (a function, an access log), without the template's settings (RetentionInDays, …)`;
  }
  if (type.startsWith('AWS::IAM::')) {
    // CDK writes a role (and, for every grant, a policy) per function: say why they don't matter here.
    const arn = type === 'AWS::IAM::Role' ? `; !GetAtt ${logicalId}.Arn gives the ARN AWS would` : '';
    return `${logicalId} (${type}) is not created: Stagecraft does not model IAM (functions may do what the host lets them)${arn}`;
  }
  if (type === 'AWS::ApiGateway::Account') {
    return `${logicalId} (${type}) is not deployed: it gives API Gateway the account's CloudWatch Logs role, which Stagecraft doesn't need (execution and access logs are written without one)`;
  }
  if (type === 'AWS::Lambda::Alias') {
    return `${logicalId} (${type}) is not deployed: a function gets one alias from the template (the one on its current version); make others with stagecraft promote`;
  }
  if (/^AWS::(Lambda|ApiGateway|ApiGatewayV2)::/.test(type)) {
    return `${logicalId} (${type}${lookalike}) is not deployed: stagecraft deploy makes Lambda and API Gateway resources from AWS::Serverless::Function, Api, HttpApi and LayerVersion, AWS::Lambda::Permission, and CDK's raw Lambda functions, versions, aliases, URLs and layers, REST APIs (RestApi, Resource, Method, Deployment, Stage), usage plans and API keys, and HTTP APIs (Api, Integration, Route, Stage); write it as SAM or create it yourself`;
  }
  return `${logicalId} (${type}${lookalike}) is not deployed: Stagecraft does not run this type; provide it elsewhere`;
}

/** What resolving a skipped resource's values needs. */
export interface OtherResourceContext {
  stackName: string;
  region: string;
  accountId: string;
  /** The server's endpoint, when known: queue URLs name it, so an SDK given one stays on the server. */
  endpoint?: string;
  logicalId: string;
  type: string;
  /** A property's value, evaluated; undefined when unset. */
  prop(key: string): Value | undefined;
}

interface OtherType {
  /** The property that names the resource; without it the name is generated. */
  nameProperty?: string;
  /** The generated name: CloudFormation's `{stack}-{LogicalId}-{suffix}` unless said otherwise. */
  generated?: (ctx: OtherResourceContext) => string;
  /** The longest name the service allows (generated names are shortened to fit). */
  maxLength?: number;
  /** What !Ref gives, from the name; the name itself when absent. */
  ref?: (name: string, ctx: OtherResourceContext) => string;
  /** What !GetAtt gives, per attribute. */
  attributes: Record<string, (name: string, ctx: OtherResourceContext) => string>;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `length` letters and digits derived from the stack and logical ID (and a purpose), stable across deploys. */
export function stableSuffix(stackName: string, logicalId: string, length = 13, purpose = 'name'): string {
  const digest = createHash('sha256').update(`${purpose}\0${stackName}\0${logicalId}`).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[digest[i % digest.length] % ALPHANUMERIC.length];
  return out;
}

/** CloudFormation's generated physical name `{stack}-{LogicalId}-{SUFFIX}`, its front shortened to fit `maxLength`. */
export function generatedName(stackName: string, logicalId: string, maxLength = 255): string {
  const suffix = stableSuffix(stackName, logicalId);
  return `${`${stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1))}-${suffix}`;
}

const arn = (service: string, resource: string, ctx: OtherResourceContext, global = false) =>
  `arn:aws:${service}:${global ? '' : ctx.region}:${global && service === 's3' ? '' : ctx.accountId}:${resource}`;
const truthy = (v: Value | undefined) => v === true || v === 'true';

const DYNAMODB_TABLE: OtherType = {
  nameProperty: 'TableName',
  attributes: {
    Arn: (name, ctx) => arn('dynamodb', `table/${name}`, ctx),
    StreamArn: (name, ctx) => {
      if (ctx.prop('StreamSpecification') === undefined) throw new Error(`${ctx.logicalId} has no stream: StreamArn needs StreamSpecification`);
      // The stream's label is the time it was enabled; a fixed one keeps the ARN stable.
      return `${arn('dynamodb', `table/${name}`, ctx)}/stream/1970-01-01T00:00:00.000`;
    },
  },
};

const STATE_MACHINE = (nameProperty: string): OtherType => ({
  nameProperty,
  maxLength: 80,
  ref: (name, ctx) => arn('states', `stateMachine:${name}`, ctx),
  attributes: { Arn: (name, ctx) => arn('states', `stateMachine:${name}`, ctx), Name: (name) => name },
});

const fifo = (flag: string) => (ctx: OtherResourceContext) => {
  const name = generatedName(ctx.stackName, ctx.logicalId, truthy(ctx.prop(flag)) ? 75 : 80);
  return truthy(ctx.prop(flag)) ? `${name}.fifo` : name;
};

/** A rule's bus: EventBusName (a name or an ARN), else the default bus. */
const ruleBus = (ctx: OtherResourceContext) => {
  const bus = ctx.prop('EventBusName');
  return typeof bus === 'string' && bus ? bus.slice(bus.lastIndexOf('/') + 1) : 'default';
};

const iamPath = (ctx: OtherResourceContext) => {
  const path = ctx.prop('Path');
  return typeof path === 'string' && path ? path : '/';
};

/** The skipped types whose references resolve to more than a generated ID. */
export const OTHER_TYPES: Record<string, OtherType> = {
  'AWS::DynamoDB::Table': DYNAMODB_TABLE,
  'AWS::DynamoDB::GlobalTable': DYNAMODB_TABLE,
  'AWS::Serverless::SimpleTable': { nameProperty: 'TableName', attributes: { Arn: DYNAMODB_TABLE.attributes.Arn } },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    generated: (ctx) => generatedName(ctx.stackName, ctx.logicalId, 63).toLowerCase(),
    attributes: {
      Arn: (name) => `arn:aws:s3:::${name}`,
      DomainName: (name) => `${name}.s3.amazonaws.com`,
      RegionalDomainName: (name, ctx) => `${name}.s3.${ctx.region}.amazonaws.com`,
      DualStackDomainName: (name, ctx) => `${name}.s3.dualstack.${ctx.region}.amazonaws.com`,
      WebsiteURL: (name, ctx) => `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
    },
  },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    generated: fifo('FifoQueue'),
    ref: (name, ctx) => queueUrl(name, ctx),
    attributes: {
      Arn: (name, ctx) => arn('sqs', name, ctx),
      QueueName: (name) => name,
      QueueUrl: (name, ctx) => queueUrl(name, ctx),
    },
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    generated: fifo('FifoTopic'),
    ref: (name, ctx) => arn('sns', name, ctx),
    attributes: { TopicArn: (name, ctx) => arn('sns', name, ctx), TopicName: (name) => name },
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    maxLength: 64,
    attributes: {
      Arn: (name, ctx) => arn('iam', `role${iamPath(ctx)}${name}`, ctx, true),
      RoleId: (_name, ctx) => `AROA${stableSuffix(ctx.stackName, ctx.logicalId, 17, 'id')}`,
    },
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    maxLength: 128,
    ref: (name, ctx) => arn('iam', `policy${iamPath(ctx)}${name}`, ctx, true),
    attributes: { PolicyArn: (name, ctx) => arn('iam', `policy${iamPath(ctx)}${name}`, ctx, true) },
  },
  // What DeploymentPreference.Alarms names with !Ref.
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    attributes: { Arn: (name, ctx) => arn('cloudwatch', `alarm:${name}`, ctx) },
  },
  'AWS::CloudWatch::CompositeAlarm': {
    nameProperty: 'AlarmName',
    attributes: { Arn: (name, ctx) => arn('cloudwatch', `alarm:${name}`, ctx) },
  },
  'AWS::CloudWatch::Dashboard': {
    nameProperty: 'DashboardName',
    attributes: {},
  },
  [METRIC_FILTER_TYPE]: {
    nameProperty: 'FilterName',
    maxLength: 512,
    attributes: {},
  },
  [SUBSCRIPTION_FILTER_TYPE]: {
    nameProperty: 'FilterName',
    maxLength: 512,
    attributes: {},
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    maxLength: 512,
    attributes: { Arn: (name, ctx) => arn('logs', `log-group:${name}:*`, ctx) },
  },
  // On another bus than the default, Ref is `{bus}|{name}` and the ARN names the bus.
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    maxLength: 64,
    ref: (name, ctx) => (ruleBus(ctx) === 'default' ? name : `${ruleBus(ctx)}|${name}`),
    attributes: { Arn: (name, ctx) => arn('events', `rule/${ruleBus(ctx) === 'default' ? '' : `${ruleBus(ctx)}/`}${name}`, ctx) },
  },
  'AWS::Events::EventBus': {
    nameProperty: 'Name',
    attributes: { Arn: (name, ctx) => arn('events', `event-bus/${name}`, ctx), Name: (name) => name },
  },
  'AWS::Kinesis::Stream': {
    nameProperty: 'Name',
    maxLength: 128,
    attributes: { Arn: (name, ctx) => arn('kinesis', `stream/${name}`, ctx) },
  },
  'AWS::StepFunctions::StateMachine': STATE_MACHINE('StateMachineName'),
  'AWS::Serverless::StateMachine': STATE_MACHINE('Name'),
  'AWS::SSM::Parameter': {
    nameProperty: 'Name',
    generated: (ctx) => `CFN-${ctx.logicalId}-${stableSuffix(ctx.stackName, ctx.logicalId, 12)}`,
    attributes: {
      Type: (_name, ctx) => String(ctx.prop('Type') ?? 'String'),
      Value: (_name, ctx) => String(ctx.prop('Value') ?? ''),
    },
  },
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    generated: (ctx) => `${ctx.logicalId}-${stableSuffix(ctx.stackName, ctx.logicalId, 12)}`,
    // A secret's ARN ends in six characters of its own.
    ref: (name, ctx) => arn('secretsmanager', `secret:${name}-${stableSuffix(ctx.stackName, ctx.logicalId, 6, 'secret')}`, ctx),
    attributes: { Id: (name, ctx) => arn('secretsmanager', `secret:${name}-${stableSuffix(ctx.stackName, ctx.logicalId, 6, 'secret')}`, ctx) },
  },
  'AWS::KMS::Key': {
    generated: (ctx) => uuidOf(ctx),
    attributes: { Arn: (id, ctx) => arn('kms', `key/${id}`, ctx), KeyId: (id) => id },
  },
  'AWS::Cognito::UserPool': {
    generated: (ctx) => `${ctx.region}_${stableSuffix(ctx.stackName, ctx.logicalId, 9).replace(/[A-Z]/g, (ch, i: number) => (i % 2 ? ch.toLowerCase() : ch))}`,
    attributes: {
      Arn: (id, ctx) => arn('cognito-idp', `userpool/${id}`, ctx),
      ProviderName: (id, ctx) => `cognito-idp.${ctx.region}.amazonaws.com/${id}`,
      ProviderURL: (id, ctx) => `https://cognito-idp.${ctx.region}.amazonaws.com/${id}`,
      UserPoolId: (id) => id,
    },
  },
  'AWS::Cognito::UserPoolClient': {
    generated: (ctx) => stableSuffix(ctx.stackName, ctx.logicalId, 26).toLowerCase(),
    attributes: { ClientId: (id) => id },
  },
};

function uuidOf(ctx: OtherResourceContext): string {
  const hex = createHash('sha256').update(`uuid\0${ctx.stackName}\0${ctx.logicalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The skipped resource's name (or ID): its naming property, else what CloudFormation would generate. */
export function physicalName(ctx: OtherResourceContext): string {
  const t = OTHER_TYPES[ctx.type];
  const given = t?.nameProperty ? ctx.prop(t.nameProperty) : undefined;
  if (given !== undefined) return String(given);
  return t?.generated ? t.generated(ctx) : generatedName(ctx.stackName, ctx.logicalId, t?.maxLength);
}

/** The role SAM generates for a function without Role (`{Fn}Role`), as CloudFormation would name it. */
export function samRoleArn(identity: { stackName: string; accountId: string }, functionId: string): string {
  return `arn:aws:iam::${identity.accountId}:role/${generatedName(identity.stackName, `${functionId}Role`, 64)}`;
}

/** The attributes !GetAtt can give for a skipped resource of this type. */
export function otherAttributeNames(type: string): string[] {
  return Object.keys(OTHER_TYPES[type]?.attributes ?? {});
}

/** !Ref of a skipped resource. */
export function otherRef(ctx: OtherResourceContext): string {
  const name = physicalName(ctx);
  return OTHER_TYPES[ctx.type]?.ref?.(name, ctx) ?? name;
}

/** !GetAtt of a skipped resource; throws an Error saying what it can give instead. */
export function otherAttribute(ctx: OtherResourceContext, attribute: string): string {
  const t = OTHER_TYPES[ctx.type];
  const known = t ? Object.keys(t.attributes) : [];
  const produce = t?.attributes[attribute];
  if (!produce && SERVICE_TYPES.includes(ctx.type)) throw new Error(`${ctx.logicalId} (${ctx.type}) has no attribute '${attribute}'; it has ${known.join(', ')}${didYouMean(attribute, known)}`);
  if (!produce) {
    const can = known.length ? `Stagecraft can give its ${known.join(', ')}${didYouMean(attribute, known)}` : 'Stagecraft gives only !Ref for it (a generated ID)';
    throw new Error(`${ctx.logicalId} (${ctx.type}) is not deployed, and its attribute '${attribute}' can't be known: ${can}; pass the value in as a parameter instead`);
  }
  return produce(physicalName(ctx), ctx);
}

/** A skipped resource as the deploy reports it: what !Ref (and !GetAtt .Arn, where there is one) give. */
export interface NotDeployedResource {
  logicalId: string;
  type: string;
  ref: string;
  arn?: string;
}

/** Evaluation context for one skipped resource; its properties are evaluated in `scope`, a resource naming itself is an error. */
/**
 * A queue's URL: on the server's endpoint when the deploy knows it (SDK v3 sends SQS calls to the
 * host a QueueUrl names when it differs from the client's endpoint), else SQS's own form.
 */
export function queueUrl(name: string, ctx: Pick<OtherResourceContext, 'region' | 'accountId' | 'endpoint'>): string {
  return ctx.endpoint ? `${ctx.endpoint.replace(/\/+$/, '')}/${ctx.accountId}/${name}` : `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${name}`;
}

export function otherContext(identity: { stackName: string; region: string; accountId: string; endpoint?: string }, logicalId: string, type: string, properties: TNode | undefined, scope: Scope): OtherResourceContext {
  return {
    ...identity,
    logicalId,
    type,
    prop(key) {
      const node = properties?.kind === 'map' ? get(properties, key) : undefined;
      if (!node) return undefined;
      if (resolving.has(node)) throw new TemplateError(`${logicalId}'s ${key} refers to itself`, node.path, node.loc);
      resolving.add(node);
      try {
        const v = evaluate(node, scope);
        return v === NO_VALUE || v === null ? undefined : v;
      } finally {
        resolving.delete(node);
      }
    },
  };
}

const resolving = new Set<TNode>();

/** An Error from the table as a TemplateError at the reference. */
export function located<T>(node: TNode, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    throw new TemplateError((e as Error).message, node.path, node.loc);
  }
}
