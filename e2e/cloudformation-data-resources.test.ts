// `aws cloudformation deploy` of a plain CloudFormation template with a DynamoDB table (generated
// name, a GSI and a stream), an SSM parameter whose value is a dynamic reference, and a secret:
// the server-side stack creates them in Stagecraft's services, lists them with CloudFormation's
// physical IDs, updates the table in place, and `delete-stack` removes them; a failed create's
// rollback deletes a table it made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { useServer } from '../src/testing/fixture.js';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { awsCli, dynamoDbClient, secretsManagerClient, ssmClient } from '../src/testing/aws.js';

const server = useServer();

const template = (write: number) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Events:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - { AttributeName: pk, AttributeType: S }
        - { AttributeName: sk, AttributeType: N }
        - { AttributeName: kind, AttributeType: S }
      KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]
      BillingMode: PROVISIONED
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: ${write} }
      GlobalSecondaryIndexes:
        - IndexName: byKind
          KeySchema: [{ AttributeName: kind, KeyType: HASH }]
          Projection: { ProjectionType: KEYS_ONLY }
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
      StreamSpecification: { StreamViewType: KEYS_ONLY }
  Copy:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /cfn-data/copy
      Type: String
      Value: '{{resolve:ssm:/cfn-data/source:1}}'
  Token:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: cfn-data/token
      SecretString: s3cret
Outputs:
  TableName: { Value: !Ref Events }
  TableArn: { Value: !GetAtt Events.Arn }
  StreamArn: { Value: !GetAtt Events.StreamArn }
  CopyValue: { Value: !GetAtt Copy.Value }
  TokenArn: { Value: !Ref Token }
`;

test('a stack\'s table, parameter and secret are created, updated by aws cloudformation deploy and removed by delete-stack', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-data-'));
  const file = join(dir, 'template.yaml');
  const ddb = dynamoDbClient(server.url);
  const ssm = ssmClient(server.url);
  const sm = secretsManagerClient(server.url);
  await ssm.send(new PutParameterCommand({ Name: '/cfn-data/source', Value: 'v1', Type: 'String' }));
  await ssm.send(new PutParameterCommand({ Name: '/cfn-data/source', Value: 'v2', Type: 'String', Overwrite: true }));
  writeFileSync(file, template(5));
  const created = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'data']);
  assert.equal(created.code, 0, created.stderr);
  const stack = (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'data'])).json().Stacks[0];
  const outputs = Object.fromEntries(stack.Outputs.map((o: { OutputKey: string; OutputValue: string }) => [o.OutputKey, o.OutputValue]));
  assert.match(outputs.TableName, /^data-Events-[A-Z0-9]{13}$/);
  const table = (await ddb.send(new DescribeTableCommand({ TableName: outputs.TableName }))).Table!;
  assert.equal(outputs.TableArn, table.TableArn);
  assert.equal(outputs.StreamArn, table.LatestStreamArn);
  assert.deepEqual(table.GlobalSecondaryIndexes?.map((i) => i.IndexName), ['byKind']);
  // The dynamic reference names version 1, not the latest.
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/cfn-data/copy' }))).Parameter?.Value, 'v1');
  assert.equal(outputs.CopyValue, 'v1');
  const secret = await sm.send(new DescribeSecretCommand({ SecretId: 'cfn-data/token' }));
  assert.equal(outputs.TokenArn, secret.ARN);
  assert.match(secret.ARN!, /:secret:cfn-data\/token-[A-Za-z0-9]{6}$/);
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'cfn-data/token' }))).SecretString, 's3cret');

  const listed = (await awsCli(server.url, ['cloudformation', 'list-stack-resources', '--stack-name', 'data'])).json().StackResourceSummaries;
  assert.deepEqual(listed.map((r: { LogicalResourceId: string; ResourceType: string; PhysicalResourceId: string }) => [r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId]).sort(), [
    ['Copy', 'AWS::SSM::Parameter', '/cfn-data/copy'], ['Events', 'AWS::DynamoDB::Table', outputs.TableName], ['Token', 'AWS::SecretsManager::Secret', secret.ARN],
  ]);

  // Throughput changed: the same table, updated in place.
  writeFileSync(file, template(7));
  const updated = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'data']);
  assert.equal(updated.code, 0, updated.stderr);
  const after = (await ddb.send(new DescribeTableCommand({ TableName: outputs.TableName }))).Table!;
  assert.equal(after.ProvisionedThroughput?.WriteCapacityUnits, 7);
  assert.equal(after.TableId, table.TableId);

  const deleted = await awsCli(server.url, ['cloudformation', 'delete-stack', '--stack-name', 'data']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const waited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'data']);
  assert.equal(waited.code, 0, waited.stderr);
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: outputs.TableName })), /ResourceNotFoundException/);
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/cfn-data/copy' })), /ParameterNotFound/);
  await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: 'cfn-data/token' })), /ResourceNotFoundException/);
  ddb.destroy();
  ssm.destroy();
  sm.destroy();
});

test('a create that fails on a SecureString parameter rolls back: the table made before it is deleted', { timeout: 120_000 }, async () => {
  const cfn = new CloudFormationClient({ endpoint: server.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  const ddb = dynamoDbClient(server.url);
  const body = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Early:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: cfn-data-early
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      BillingMode: PAY_PER_REQUEST
  Hidden:
    Type: AWS::SSM::Parameter
    DependsOn: Early
    Properties: { Name: /cfn-data/hidden, Type: SecureString, Value: x }
`;
  await cfn.send(new CreateStackCommand({ StackName: 'data-rollback', TemplateBody: body }));
  let stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'data-rollback' }))).Stacks![0];
  for (let i = 0; i < 120 && stack.StackStatus!.endsWith('_IN_PROGRESS'); i++) {
    await new Promise((r) => setTimeout(r, 500));
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'data-rollback' }))).Stacks![0];
  }
  assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
  const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'data-rollback' }))).StackEvents ?? [];
  assert.ok(events.some((e) => /SecureString is not supported by AWS::SSM::Parameter/.test(e.ResourceStatusReason ?? '')), JSON.stringify(events.map((e) => e.ResourceStatusReason)));
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: 'cfn-data-early' })), /ResourceNotFoundException/);
  cfn.destroy();
  ddb.destroy();
});
