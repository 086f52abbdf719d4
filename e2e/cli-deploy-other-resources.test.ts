// `stagecraft deploy` with a template that also holds resources Stagecraft doesn't run (a Kinesis
// stream, an IAM role, a Kinesis event on the function): they are skipped with warnings and listed
// (the SQS queue, EventBridge rule and S3 bucket beside them are deployed), the function is deployed with CloudFormation-shaped names
// and ARNs for them in its environment and Role, the same on every deploy; an
// AWS::Lambda::Permission is granted and withdrawn with the template; --strict refuses the lot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionConfigurationCommand, GetPolicyCommand, InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { awsCli } from '../src/testing/aws.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(fnName: string, permission: boolean): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
  Uploads:
    Type: AWS::S3::Bucket
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fnName}
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      AutoPublishAlias: live
      Role: !GetAtt Role.Arn
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
        - SQSPollerPolicy:
            QueueName: !GetAtt Queue.QueueName
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !Ref Queue
          TABLE_ARN: !GetAtt Table.Arn
      Events:
        Jobs:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:000000000000:stream/jobs
            StartingPosition: LATEST
${permission ? `  AllowNightly:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: events.amazonaws.com
      SourceArn: !GetAtt Nightly.Arn
  AllowUploads:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn.Alias
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Uploads.Arn
      SourceAccount: !Ref AWS::AccountId
` : ''}Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
`;
}

const HANDLER = 'exports.handler = async () => ({ TABLE: process.env.TABLE, QUEUE_URL: process.env.QUEUE_URL, TABLE_ARN: process.env.TABLE_ARN });\n';

async function environmentOf(fnName: string): Promise<Record<string, string>> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fnName }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

async function statements(fnName: string, qualifier?: string): Promise<{ Sid: string; Principal: unknown; Condition?: unknown }[]> {
  try {
    return JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: fnName, Qualifier: qualifier }))).Policy!).Statement;
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
}

test('other resources are skipped with warnings; references give CloudFormation shapes, stable across deploys; a Lambda permission follows the template', async () => {
  const stack = unique('other');
  const fnName = unique('other-fn');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fnName, true), 'src/index.js': HANDLER }));

  const first = await deploy(dir, '--stack-name', stack, '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  const warnings: string[] = result.warnings.map((w: { path?: string; message: string }) => `${w.path}: ${w.message}`);
  assert.ok(warnings.includes('Resources.Table: Table (AWS::Kinesis::Stream) is not deployed: Stagecraft does not run this type; provide it elsewhere'), warnings.join('\n'));
  assert.ok(!warnings.some((w) => /\((AWS::SQS::Queue|AWS::Events::Rule|AWS::S3::Bucket)\) is not deployed/.test(w)), warnings.join('\n'));
  assert.ok(warnings.includes('Resources.Role: Role (AWS::IAM::Role) is not created: Stagecraft does not model IAM (functions may do what the host lets them); !GetAtt Role.Arn gives the ARN AWS would'), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^Resources\.Fn\.Properties\.Events\.Jobs: event Jobs \(Kinesis\) is not wired/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^Resources\.Fn\.Properties\.Policies: Policies has no effect: Stagecraft does not model IAM/.test(w)), warnings.join('\n'));
  assert.match(first.stderr, /warning: .*Table \(AWS::Kinesis::Stream\) is not deployed/);

  const tableName = new RegExp(`^${stack}-Table-[A-Z0-9]{13}$`);
  const notDeployed = new Map<string, { type: string; ref: string; arn?: string }>(result.notDeployed.map((r: { logicalId: string }) => [r.logicalId, r]));
  assert.deepEqual([...notDeployed.keys()], ['Table', 'Role']);
  const uploads = new RegExp(`^${stack}-uploads-[a-z0-9]{13}$`);
  const table = notDeployed.get('Table')!;
  assert.match(table.ref, tableName);
  assert.equal(table.arn, `arn:aws:kinesis:us-east-1:000000000000:stream/${table.ref}`);
  const environment = await environmentOf(fnName);
  const queue = { ref: environment.QUEUE_URL };
  assert.match(queue.ref, new RegExp(`^${env.url}/000000000000/${stack}-Queue-[A-Z0-9]{13}$`));
  const queueName = queue.ref.split('/').pop();
  assert.equal(result.outputs.find((o: { name: string }) => o.name === 'QueueArn').value, `arn:aws:sqs:us-east-1:000000000000:${queueName}`);
  assert.deepEqual(environment, { TABLE: table.ref, QUEUE_URL: queue.ref, TABLE_ARN: table.arn });
  const config = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fnName }));
  assert.match(config.Role!, new RegExp(`^arn:aws:iam::000000000000:role/${stack}-Role-[A-Z0-9]{13}$`));
  assert.equal(config.Role, notDeployed.get('Role')!.arn);

  const granted = (await statements(fnName)).find((s) => s.Sid === `stagecraft_${stack}_AllowNightly`);
  assert.ok(granted, 'the AWS::Lambda::Permission is in the policy');
  assert.deepEqual(granted.Principal, { Service: 'events.amazonaws.com' });
  const nightlyArn = (granted.Condition as { ArnLike: Record<string, string> }).ArnLike['AWS:SourceArn'];
  assert.match(nightlyArn, new RegExp(`^arn:aws:events:us-east-1:000000000000:rule/${stack}-Nightly-[A-Z0-9]{13}$`));
  // !Ref Fn.Alias: the statement is on the alias, as the AWS CLI shows it.
  const aliasPolicy = await awsCli(env.url, ['lambda', 'get-policy', '--function-name', fnName, '--qualifier', 'live']);
  assert.equal(aliasPolicy.code, 0, aliasPolicy.stderr);
  const onAlias = JSON.parse(aliasPolicy.json().Policy).Statement;
  const bucketName = onAlias[0]?.Condition?.ArnLike?.['AWS:SourceArn']?.replace('arn:aws:s3:::', '');
  assert.match(bucketName ?? '', uploads);
  assert.deepEqual(onAlias.map((st: { Sid: string; Principal: unknown; Resource: string; Condition: unknown }) => [st.Sid, st.Principal, st.Resource, st.Condition]), [[
    `stagecraft_${stack}_AllowUploads`, { Service: 's3.amazonaws.com' }, `${config.FunctionArn}:live`,
    { StringEquals: { 'AWS:SourceAccount': '000000000000' }, ArnLike: { 'AWS:SourceArn': `arn:aws:s3:::${bucketName}` } },
  ]]);

  // Again, as a person reads it: nothing changes, the skipped resources are listed with their names.
  const second = await deploy(dir, '--stack-name', stack);
  assert.equal(second.code, 0, second.output);
  assert.match(second.stdout, /No changes: stack/);
  assert.match(second.stdout, /= AllowNightly +permission stagecraft_.*_AllowNightly for events\.amazonaws\.com/);
  assert.match(second.stdout, /Not deployed[\s\S]*RESOURCE +TYPE +REF +ARN/);
  assert.match(second.stdout, new RegExp(`Table +AWS::Kinesis::Stream +${table.ref} +arn:aws:kinesis:`));
  assert.match(second.stdout, /warning: .*event Jobs \(Kinesis\) is not wired/);
  assert.deepEqual(await environmentOf(fnName), environment, 'the same values on every deploy');

  // A changed permission is replaced under its statement ID.
  writeFiles(dir, { 'template.yaml': template(fnName, true).replace('SourceArn: !GetAtt Nightly.Arn', 'SourceArn: !Sub "arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/other"') });
  const changed = await deploy(dir, '--stack-name', stack);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /~ AllowNightly +permission stagecraft_.*_AllowNightly for events\.amazonaws\.com .* \[updated\]/);
  assert.deepEqual((await statements(fnName)).map((st) => st.Condition), [{ ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/other' } }]);

  // The permission dropped from the template is withdrawn.
  writeFiles(dir, { 'template.yaml': template(fnName, false) });
  const third = await deploy(dir, '--stack-name', stack);
  assert.equal(third.code, 0, third.output);
  assert.match(third.stdout, /- Permissions +permission stagecraft_.*_AllowNightly of .* \[removed\]/);
  assert.match(third.stdout, /- Permissions +permission stagecraft_.*_AllowUploads of .*:live \[removed\]/);
  assert.deepEqual((await statements(fnName)).map((s) => s.Sid), []);
  assert.deepEqual((await statements(fnName, 'live')).map((s) => s.Sid), []);
});

test('--strict refuses resources and events Stagecraft does not run, and deploys nothing', async () => {
  const fnName = unique('strict-fn');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fnName, false), 'src/index.js': HANDLER }));
  const run = await deploy(dir, '--strict');
  assert.equal(run.code, 1, run.output);
  assert.match(run.stderr, /error: template\.yaml:\d+:\d+ \(Resources\.Table\.Type\): resource type AWS::Kinesis::Stream is not supported: stagecraft deploy creates AWS::Serverless::Function/);
  assert.match(run.stderr, /error: .*\(Resources\.Fn\.Properties\.Events\.Jobs\.Type\): event type Kinesis is not supported/);
  assert.match(run.stderr, /has 3 problems/);
  assert.match(run.stderr, /Nothing was deployed/);
  const names = ((await env.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName);
  assert.ok(!names.includes(fnName));

  const check = await runCli(['deploy', '--check', '--json'], { cwd: dir });
  assert.equal(check.code, 0, check.output);
  assert.deepEqual(check.json().notDeployed.map((r: { logicalId: string }) => r.logicalId), ['Table', 'Role']);
});
