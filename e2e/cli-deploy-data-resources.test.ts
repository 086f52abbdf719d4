// `stagecraft deploy` of a SAM template with a DynamoDB table, a SimpleTable, an SSM parameter, a
// secret (GenerateSecretString), a `{{resolve:ssm:…}}` and a `{{resolve:secretsmanager:…}}`
// reference and an SSM-typed template parameter: the resources exist in Stagecraft's services, a
// function (the DynamoDB SDK from a layer) writes an item to the table Ref names and sees the
// resolved values; a redeploy updates the table in place (GSI, TTL, billing, tags) and replaces the
// SimpleTable whose key changed; `stagecraft delete` removes them but the retained parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, ListTagsOfResourceCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteParameterCommand, GetParameterCommand, ListTagsForResourceCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { dynamoDbClient, secretsManagerClient, ssmClient } from '../src/testing/aws.js';
import { sdkLayerZip } from '../src/testing/sdk-layer.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let ddb: DynamoDBClient;
let ssm: SSMClient;
let sm: SecretsManagerClient;
env.setup(() => {
  ddb = dynamoDbClient(env.url);
  ssm = ssmClient(env.url);
  sm = secretsManagerClient(env.url);
});

const CODE = `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({});
exports.handler = async () => {
  await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: 'from-fn' }, n: { N: '1' } } }));
  return { TABLE: process.env.TABLE, SECRET: process.env.SECRET, RESOLVED: process.env.RESOLVED, FROM_SECRET: process.env.FROM_SECRET, TYPED: process.env.TYPED };
};
`;

const template = (o: { layer: string; fn: string; param: string; v2: boolean }) => `Parameters:
  Typed:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /${o.fn}/typed
${SAM_HEADER}${liveFunction(o.fn, `      Layers: [${o.layer}]
      Timeout: 30
      Environment:
        Variables:
          TABLE: !Ref Orders
          SECRET: !Ref Creds
          RESOLVED: '{{resolve:ssm:/${o.fn}/source}}'
          FROM_SECRET: '{{resolve:secretsmanager:${o.fn}/given:SecretString:user}}'
          TYPED: !Ref Typed
`)}  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }${o.v2 ? ', { AttributeName: gk, AttributeType: S }' : ''}]
      BillingMode: ${o.v2 ? 'PROVISIONED' : 'PAY_PER_REQUEST'}
${o.v2 ? `      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 }
      GlobalSecondaryIndexes:
        - IndexName: byG
          KeySchema: [{ AttributeName: gk, KeyType: HASH }]
          Projection: { ProjectionType: ALL }
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
      TimeToLiveSpecification: { AttributeName: expires, Enabled: true }
` : ''}      StreamSpecification: { StreamViewType: NEW_IMAGE }
      Tags: [{ Key: team, Value: ${o.v2 ? 'blue' : 'red'} }]
  Simple:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: ${o.v2 ? 'code' : 'id'}, Type: ${o.v2 ? 'Number' : 'String'} }
  Param:
    Type: AWS::SSM::Parameter
    DeletionPolicy: Retain
    Properties:
      Name: ${o.param}
      Type: String
      Value: ${o.v2 ? 'second' : 'first'}
      Tags: { owner: me }
  Creds:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: db creds
      GenerateSecretString:
        SecretStringTemplate: '{"user":"app"}'
        GenerateStringKey: password
        PasswordLength: 20
        ExcludePunctuation: true
Outputs:
  TableName: { Value: !Ref Orders }
  TableArn: { Value: !GetAtt Orders.Arn }
  StreamArn: { Value: !GetAtt Orders.StreamArn }
  SimpleName: { Value: !Ref Simple }
  ParamValue: { Value: !GetAtt Param.Value }
  SecretRef: { Value: !Ref Creds }
`;

const output = (stdout: string, name: string) => new RegExp(`${name}\\s*[:=]?\\s*(\\S+)`).exec(stdout)?.[1];

test('tables, parameters and secrets are deployed, read by a function, updated, replaced and deleted with the stack', { timeout: 300_000 }, async () => {
  const fn = unique('data-fn');
  const param = `/${fn}/param`;
  const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'sdk-dynamodb', Content: { ZipFile: await sdkLayerZip('@aws-sdk/client-dynamodb') } }));
  await ssm.send(new PutParameterCommand({ Name: `/${fn}/source`, Value: 'resolved-value', Type: 'String' }));
  await ssm.send(new PutParameterCommand({ Name: `/${fn}/typed`, Value: 'typed-value', Type: 'String' }));
  await sm.send(new CreateSecretCommand({ Name: `${fn}/given`, SecretString: JSON.stringify({ user: 'alice' }) }));
  const o = { layer: layer.LayerVersionArn!, fn, param, v2: false };
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(o), 'src/index.js': CODE }));
  const first = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.doesNotMatch(first.output, /not deployed/);

  // The table under CloudFormation's generated name, with its stream (the real one GetAtt gives) and tags.
  const table = output(first.stdout, 'TableName')!;
  assert.match(table, new RegExp(`^${fn}-Orders-[A-Z0-9]{13}$`));
  const described = (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table!;
  assert.equal(output(first.stdout, 'TableArn'), described.TableArn);
  assert.equal(output(first.stdout, 'StreamArn'), described.LatestStreamArn);
  assert.equal(described.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  const simple = output(first.stdout, 'SimpleName')!;
  assert.deepEqual((await ddb.send(new DescribeTableCommand({ TableName: simple }))).Table!.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: param }))).Parameter?.Value, 'first');
  assert.equal(output(first.stdout, 'ParamValue'), 'first');

  // The secret: Ref is the ARN Secrets Manager gave, its value generated into the template's JSON.
  const secretArn = output(first.stdout, 'SecretRef')!;
  const secret = await sm.send(new DescribeSecretCommand({ SecretId: secretArn }));
  assert.equal(secret.ARN, secretArn);
  assert.equal(secret.Description, 'db creds');
  const value = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString!);
  assert.equal(value.user, 'app');
  assert.match(value.password, /^[A-Za-z0-9]{20}$/);

  // The function writes to the table Ref named and sees the resolved references.
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn }));
  const payload = Buffer.from(out.Payload!).toString();
  assert.equal(out.FunctionError, undefined, payload);
  assert.deepEqual(JSON.parse(payload), { TABLE: table, SECRET: secretArn, RESOLVED: 'resolved-value', FROM_SECRET: 'alice', TYPED: 'typed-value' });
  const item = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'from-fn' } } }));
  assert.deepEqual(item.Item?.n, { N: '1' });

  // Redeployed: the table updated in place (its item stays), the SimpleTable with a new key replaced, the parameter overwritten.
  writeFiles(dir, { 'template.yaml': template({ ...o, v2: true }) });
  const second = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  const updated = (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table!;
  assert.equal(updated.BillingModeSummary?.BillingMode ?? 'PROVISIONED', 'PROVISIONED');
  assert.equal(updated.ProvisionedThroughput?.WriteCapacityUnits, 3);
  assert.deepEqual(updated.GlobalSecondaryIndexes?.map((i) => i.IndexName), ['byG']);
  assert.equal((await ddb.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription?.AttributeName, 'expires');
  const tags = (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: updated.TableArn }))).Tags ?? [];
  assert.equal(tags.find((t) => t.Key === 'team')?.Value, 'blue');
  assert.ok((await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'from-fn' } } }))).Item);
  assert.deepEqual((await ddb.send(new DescribeTableCommand({ TableName: simple }))).Table!.KeySchema, [{ AttributeName: 'code', KeyType: 'HASH' }]);
  assert.match(second.output, /KeySchema changed: replaced/);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: param }))).Parameter?.Value, 'second');
  assert.equal(output(second.stdout, 'SecretRef'), secretArn);

  // Deleted with the stack, but the retained parameter, which is no longer the stack's.
  const deleted = await runCli(['delete', '--stack-name', fn, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: table })), /ResourceNotFoundException/);
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: simple })), /ResourceNotFoundException/);
  await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: secretArn })), /ResourceNotFoundException/);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: param }))).Parameter?.Value, 'second');
  const kept = (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: param }))).TagList ?? [];
  assert.deepEqual(kept.map((t) => t.Key), ['owner']);
  await ssm.send(new DeleteParameterCommand({ Name: param }));
});

test('a missing SSM-typed parameter or dynamic reference fails the deploy with CloudFormation\'s message; CDK\'s BootstrapVersion needs none', { timeout: 120_000 }, async () => {
  const fn = unique('data-miss');
  const typed = `Parameters:\n  Typed:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /${fn}/absent\n${SAM_HEADER}${liveFunction(fn)}`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': typed, 'src/index.js': 'exports.handler = async () => 1;\n' }));
  const missing = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.notEqual(missing.code, 0);
  assert.match(missing.output, new RegExp(`Unable to fetch parameters \\[/${fn}/absent\\] from parameter store for this account\\.`));
  writeFiles(dir, { 'template.yaml': `${SAM_HEADER}${liveFunction(fn, `      Environment: { Variables: { X: '{{resolve:ssm:/${fn}/nope}}' } }\n`)}` });
  const dynamic = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.notEqual(dynamic.code, 0);
  assert.match(dynamic.output, new RegExp(`Parameters: \\[ssm:/${fn}/nope\\] cannot be found\\.`));
  // CDK's bootstrap check names a parameter that doesn't exist here: dropped, the deploy goes on.
  const cdk = `Parameters:\n  BootstrapVersion:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /cdk-bootstrap/hnb659fds/version\n${SAM_HEADER}${liveFunction(fn)}`;
  writeFiles(dir, { 'template.yaml': cdk });
  const bootstrapped = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(bootstrapped.code, 0, bootstrapped.output);
});
