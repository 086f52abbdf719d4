// Resources Stagecraft doesn't run: which types are skipped and which refused, the names, URLs and
// ARNs references to them resolve to (CloudFormation's shapes, stable per stack and logical ID),
// events nothing sends, --strict, and AWS::Lambda::Permission's statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionSpec } from './function-spec.js';
import { formatIssue } from './issues.js';
import { generatedName, otherAttribute, otherRef, resourceTypeVerdict, samRoleArn, skippedResourceMessage, stableSuffix, type OtherResourceContext } from './other-resources.js';
import { lambdaPermissionSpec, permissionStatementId, splitFunctionName } from './lambda-permission-spec.js';
import { expectedCondition, statementMatches } from './lambda-permissions.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';

const ctx = (type: string, logicalId: string, props: Record<string, string | boolean> = {}): OtherResourceContext => ({
  stackName: 'demo', region: 'eu-west-1', accountId: '111122223333', logicalId, type, prop: (k) => props[k],
});

test('types: SAM and Lambda::Permission deployed, other services skipped, nested stacks and misspelt SAM types refused', () => {
  assert.equal(resourceTypeVerdict('AWS::Serverless::Function').kind, 'deploy');
  assert.equal(resourceTypeVerdict('AWS::Lambda::Permission').kind, 'deploy');
  for (const t of ['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable', 'AWS::SQS::Queue', 'AWS::EC2::VPC', 'Custom::Seed', 'AWS::Serverless::StateMachine']) {
    assert.equal(resourceTypeVerdict(t).kind, 'skip', t);
  }
  const refused = (t: string) => {
    const v = resourceTypeVerdict(t);
    assert.equal(v.kind, 'refuse', t);
    return v.kind === 'refuse' ? v.message : '';
  };
  assert.match(refused('AWS::Serverless::Functoin'), /unknown SAM resource type AWS::Serverless::Functoin \(did you mean 'AWS::Serverless::Function'\?\)/);
  assert.match(refused('AWS::Serverless::Application'), /nested applications are not supported/);
  assert.match(refused('AWS::CloudFormation::Stack'), /nested stacks are not supported/);
  assert.match(refused('DynamoDB::Table'), /is not a resource type/);
  assert.match(skippedResourceMessage('Logs', 'AWS::Logs::LogGroup', false), /Logs \(AWS::Logs::LogGroup\) is not created: Stagecraft's CloudWatch Logs makes a log group when something first writes to it/);
  assert.equal(skippedResourceMessage('FnPolicy', 'AWS::IAM::Policy', false), 'FnPolicy (AWS::IAM::Policy) is not created: Stagecraft does not model IAM (functions may do what the host lets them)');
  assert.match(skippedResourceMessage('Raw', 'AWS::Lambda::Function', false), /Raw \(AWS::Lambda::Function\) is not deployed: stagecraft deploy makes Lambda and API Gateway resources from AWS::Serverless::Function/);
  assert.match(skippedResourceMessage('T', 'AWS::DynamoDB::Tabel', false), /T \(AWS::DynamoDB::Tabel \(did you mean 'AWS::DynamoDB::Table'\?\)\) is not deployed/);
});

test('generated names: {stack}-{LogicalId}-{13 upper-case alphanumerics}, stable, shortened to fit', () => {
  const suffix = stableSuffix('demo', 'Table');
  assert.match(suffix, /^[A-Z0-9]{13}$/);
  assert.equal(stableSuffix('demo', 'Table'), suffix, 'the same every time');
  assert.notEqual(stableSuffix('other', 'Table'), suffix);
  assert.equal(generatedName('demo', 'Table'), `demo-Table-${suffix}`);
  const long = generatedName('a-very-long-stack-name-indeed', 'AnEvenLongerLogicalIdForARole', 64);
  assert.equal(long.length, 64);
  assert.match(long, /^a-very-long-stack-name-indeed-AnEvenLongerLogicalI-[A-Z0-9]{13}$/);
});

test('Ref and GetAtt of the common types in CloudFormation shapes', () => {
  const name = (id: string) => `demo-${id}-${stableSuffix('demo', id)}`;
  const table = ctx('AWS::DynamoDB::Table', 'Table');
  assert.equal(otherRef(table), name('Table'));
  assert.equal(otherAttribute(table, 'Arn'), `arn:aws:dynamodb:eu-west-1:111122223333:table/${name('Table')}`);
  assert.throws(() => otherAttribute(table, 'StreamArn'), /StreamArn needs StreamSpecification/);
  assert.match(otherAttribute(ctx('AWS::DynamoDB::Table', 'T', { TableName: 'items', StreamSpecification: 'x' }), 'StreamArn'), /^arn:aws:dynamodb:eu-west-1:111122223333:table\/items\/stream\/.+/);
  assert.equal(otherRef(ctx('AWS::Serverless::SimpleTable', 'Simple', { TableName: 'simple' })), 'simple');

  const queue = ctx('AWS::SQS::Queue', 'Queue');
  assert.equal(otherRef(queue), `https://sqs.eu-west-1.amazonaws.com/111122223333/${name('Queue')}`);
  assert.equal(otherAttribute(queue, 'Arn'), `arn:aws:sqs:eu-west-1:111122223333:${name('Queue')}`);
  assert.equal(otherAttribute(queue, 'QueueName'), name('Queue'));
  assert.match(otherRef(ctx('AWS::SQS::Queue', 'Jobs', { FifoQueue: true })), /\/demo-Jobs-[A-Z0-9]{13}\.fifo$/);

  const bucket = ctx('AWS::S3::Bucket', 'Uploads');
  assert.equal(otherRef(bucket), name('Uploads').toLowerCase());
  assert.equal(otherAttribute(bucket, 'Arn'), `arn:aws:s3:::${name('Uploads').toLowerCase()}`);
  assert.equal(otherAttribute(ctx('AWS::S3::Bucket', 'B', { BucketName: 'my-bucket' }), 'DomainName'), 'my-bucket.s3.amazonaws.com');

  assert.equal(otherRef(ctx('AWS::SNS::Topic', 'Topic', { TopicName: 'news' })), 'arn:aws:sns:eu-west-1:111122223333:news');
  const role = ctx('AWS::IAM::Role', 'Role', { RoleName: 'runner', Path: '/service/' });
  assert.equal(otherRef(role), 'runner');
  assert.equal(otherAttribute(role, 'Arn'), 'arn:aws:iam::111122223333:role/service/runner');
  assert.equal(otherAttribute(ctx('AWS::Logs::LogGroup', 'Logs', { LogGroupName: '/app' }), 'Arn'), 'arn:aws:logs:eu-west-1:111122223333:log-group:/app:*');
  assert.equal(otherRef(ctx('AWS::EC2::VPC', 'Vpc')), name('Vpc'));

  assert.throws(() => otherAttribute(queue, 'Url'), /Queue \(AWS::SQS::Queue\) has no attribute 'Url'; it has Arn, QueueName, QueueUrl/);
  assert.throws(() => otherAttribute(ctx('AWS::EC2::VPC', 'Vpc'), 'CidrBlock'), /Stagecraft gives only !Ref for it/);
});

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Env:
    Type: String
    Default: dev
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub \${Env}-items
  Queue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
  Role:
    Type: AWS::IAM::Role
    CreationPolicy: { ResourceSignal: { Count: 1 } }
  Fn:
    Type: AWS::Serverless::Function
    DependsOn: Role
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => process.env
      Role: !GetAtt Role.Arn
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
      Environment:
        Variables:
          TABLE: !Ref Table
          TABLE_ARN: !GetAtt Table.Arn
          QUEUE_URL: !Ref Queue
          QUEUE_ARN: !Sub \${Queue.Arn}
      Events:
        Jobs:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:eu-west-1:111122223333:stream/jobs
Outputs:
  QueueName:
    Value: !GetAtt Queue.QueueName
`;

test('a template with other resources: skipped with warnings (queues and tables deployed), references resolved, IAM and events ignored', () => {
  const { model, issues } = stackModelOf(TEMPLATE);
  const specs = validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  const warnings = issues.warnings.map(formatIssue);
  assert.ok(!warnings.some((w) => /Table \(AWS::DynamoDB::Table\) is not deployed/.test(w)), 'tables are put into Stagecraft\'s DynamoDB');
  assert.ok(!warnings.some((w) => /Queue \(AWS::SQS::Queue\) is not deployed/.test(w)), 'queues are put into Stagecraft\'s SQS');
  assert.ok(warnings.some((w) => /Role \(AWS::IAM::Role\) is not created: Stagecraft does not model IAM/.test(w)));
  assert.ok(warnings.some((w) => /Policies has no effect: Stagecraft does not model IAM/.test(w)));
  assert.ok(warnings.some((w) => /\(Resources\.Fn\.Properties\.Events\.Jobs\): event Jobs \(Kinesis\) is not wired: Stagecraft does not run Kinesis event source mappings, so nothing calls Fn for it/.test(w)), warnings.join('\n'));
  assert.deepEqual(model.order.map((r) => r.def.logicalId), ['Fn'], 'only the function is deployed');
  assert.ok(!warnings.some((w) => /DeletionPolicy|UpdateReplacePolicy|CreationPolicy/.test(w)), 'nothing to say about the attributes of what is skipped whole');

  const scope = model.scope(() => undefined);
  const fn = functionSpec(model, model.byId.get('Fn')!, scope);
  const queue = `demo-Queue-${stableSuffix('demo', 'Queue')}`;
  assert.deepEqual(fn.environment, {
    TABLE: 'dev-items',
    TABLE_ARN: 'arn:aws:dynamodb:eu-west-1:111122223333:table/dev-items',
    QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/111122223333/${queue}`,
    QUEUE_ARN: `arn:aws:sqs:eu-west-1:111122223333:${queue}`,
  });
  assert.equal(fn.role, `arn:aws:iam::111122223333:role/demo-Role-${stableSuffix('demo', 'Role')}`);
  assert.deepEqual(model.outputs(scope), [{ name: 'QueueName', value: queue, description: undefined }]);
  assert.deepEqual(model.notDeployed(scope).map((r) => [r.logicalId, r.type, r.ref]), [
    ['Role', 'AWS::IAM::Role', `demo-Role-${stableSuffix('demo', 'Role')}`],
  ]);
  assert.equal(specs.functions.length, 1);
});

test('--strict: other resources and events are errors', () => {
  const { model, issues } = stackModelOf(TEMPLATE, true);
  validateStack(model);
  const errors = issues.errors.map(formatIssue);
  assert.ok(errors.some((e) => /\(Resources\.Role\.Type\): resource type AWS::IAM::Role is not supported: stagecraft deploy creates AWS::Serverless::Function, .* \(without --strict, other resources are skipped with a warning\)/.test(e)), errors.join('\n'));
  assert.ok(!errors.some((e) => /AWS::DynamoDB::Table/.test(e)), 'tables are deployed');
  assert.ok(errors.some((e) => /event type Kinesis is not supported: stagecraft deploy wires Api and HttpApi events/.test(e)));
});

test('unknown attributes, self-references and nested stacks are located errors', () => {
  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt Queue.QueueName
  Nested:
    Type: AWS::Serverless::Application
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Environment:
        Variables:
          X: !GetAtt Queue.Endpoint
`);
  validateStack(model);
  const errors = issues.errors.map(formatIssue);
  assert.ok(errors.some((e) => /\(Resources\.Nested\.Type\): resource type AWS::Serverless::Application: nested applications are not supported/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /Queue's QueueName refers to itself/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /\(Resources\.Fn\.Properties\.Environment\.Variables\.X\): Queue \(AWS::SQS::Queue\) has no attribute 'Endpoint'; it has Arn, QueueName, QueueUrl/.test(e)), errors.join('\n'));
});

test('AWS::Lambda::Permission: a statement per resource, FunctionName in every form', () => {
  assert.deepEqual(splitFunctionName('fn'), { functionName: 'fn', qualifier: undefined });
  assert.deepEqual(splitFunctionName('fn:live'), { functionName: 'fn', qualifier: 'live' });
  assert.deepEqual(splitFunctionName('arn:aws:lambda:eu-west-1:111122223333:function:fn:7'), { functionName: 'arn:aws:lambda:eu-west-1:111122223333:function:fn', qualifier: '7' });
  assert.deepEqual(splitFunctionName('111122223333:function:fn:$LATEST'), { functionName: '111122223333:function:fn', qualifier: undefined });
  assert.equal(permissionStatementId('demo', 'AllowS3'), 'stagecraft_demo_AllowS3');
  assert.ok(permissionStatementId('demo', 'X'.repeat(120)).length <= 100);

  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: x, AutoPublishAlias: live }
  AllowS3:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn.Alias
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Bucket.Arn
      SourceAccount: !Ref AWS::AccountId
`);
  const { permissions } = validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  assert.deepEqual(model.order.map((r) => r.def.logicalId), ['Fn', 'AllowS3'], 'after the function it names');
  assert.equal(permissions.length, 1);
  const spec = lambdaPermissionSpec(model, model.byId.get('AllowS3')!, model.scope((id, a) => (id === 'Fn' && a === 'Alias' ? 'arn:aws:lambda:eu-west-1:111122223333:function:demo-Fn:live' : undefined)));
  assert.equal(spec.functionName, 'arn:aws:lambda:eu-west-1:111122223333:function:demo-Fn');
  assert.equal(spec.qualifier, 'live');
  const bucket = `demo-bucket-${stableSuffix('demo', 'Bucket').toLowerCase()}`;
  assert.deepEqual(expectedCondition(spec), { StringEquals: { 'AWS:SourceAccount': '111122223333' }, ArnLike: { 'AWS:SourceArn': `arn:aws:s3:::${bucket}` } });
  const statement = { Sid: spec.statementId, Effect: 'Allow', Action: 'lambda:InvokeFunction', Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:s3:::${bucket}` }, StringEquals: { 'AWS:SourceAccount': '111122223333' } } };
  assert.equal(statementMatches(statement, spec), true);
  assert.equal(statementMatches({ ...statement, Condition: undefined }, spec), false);
  assert.equal(statementMatches({ ...statement, Principal: { Service: 'sns.amazonaws.com' } }, spec), false);
});

test('Globals.SimpleTable (SSESpecification) is ignored with a warning; the SimpleTable is deployed', () => {
  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Globals:
  SimpleTable:
    SSESpecification: { SSEEnabled: true }
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
`);
  validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  assert.deepEqual(issues.warnings.map((w) => w.message), [
    'Globals.SimpleTable has no effect: its SSESpecification is ignored (Stagecraft\'s DynamoDB does not encrypt tables at rest)',
  ]);
  assert.deepEqual(model.notDeployed(model.scope(() => undefined)), []);
  assert.equal(model.scope(() => undefined).resourceAttribute('Items', 'Arn', model.others.get('Items')!.properties), `arn:aws:dynamodb:eu-west-1:111122223333:table/demo-Items-${stableSuffix('demo', 'Items')}`);
});

test('the role SAM generates for a function without Role ({Fn}Role) resolves like a skipped IAM role', () => {
  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: x }
Outputs:
  HelloWorldFunctionIamRole:
    Value: !GetAtt HelloWorldFunctionRole.Arn
  RoleName:
    Value: !Ref HelloWorldFunctionRole
`);
  validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  const name = `demo-HelloWorldFunctionRole-${stableSuffix('demo', 'HelloWorldFunctionRole')}`;
  assert.deepEqual(model.outputs(model.scope(() => undefined)).map((o) => o.value), [`arn:aws:iam::111122223333:role/${name}`, name]);
  assert.equal(samRoleArn({ stackName: 'demo', accountId: '111122223333' }, 'HelloWorldFunction'), `arn:aws:iam::111122223333:role/${name}`);
});
