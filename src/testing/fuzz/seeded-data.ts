// Test support: the DynamoDB, SSM Parameter Store and Secrets Manager resources a fuzz run creates
// first (a table with a sort key, a global secondary index and a few items; a parameter with three
// versions and a label; a secret with two versions), so fuzzed requests name real ones; victims of
// each for the destructive operations; and the checks afterwards.
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand, LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { testCredentials, testRegion } from '../server.js';
import type { KnownIds } from './values.js';
import { found } from './victims.js';

const TABLE = 'fuzz-table';
const PARAMETER = '/fuzz/param';
const SECRET = 'fuzz-secret';

function clients(url: string) {
  const config = { endpoint: url, region: testRegion, credentials: testCredentials, maxAttempts: 1 };
  return { ddb: new DynamoDBClient(config), ssm: new SSMClient(config), secrets: new SecretsManagerClient(config) };
}

async function withClients<T>(url: string, body: (c: ReturnType<typeof clients>) => Promise<T>): Promise<T> {
  const c = clients(url);
  try {
    return await body(c);
  } finally {
    c.ddb.destroy();
    c.ssm.destroy();
    c.secrets.destroy();
  }
}

const seededKey = (i: number) => ({ pk: { S: 'fuzz-pk' }, sk: { N: String(i) } });

async function seedSet(url: string, prefix: string): Promise<KnownIds> {
  return withClients(url, async (c) => {
    const table = `${prefix}-table`;
    const tableArn = (await c.ddb.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: `${prefix}-gsi`, KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      Tags: [{ Key: 'team', Value: 'fuzz' }],
    }))).TableDescription!.TableArn!;
    for (let i = 0; i < 4; i++) {
      await c.ddb.send(new PutItemCommand({ TableName: table, Item: { ...seededKey(i), g: { S: `g${i % 2}` }, data: { M: { list: { L: [{ N: String(i) }, { B: Buffer.from([i]) }] } } } } }));
    }
    const parameter = prefix === 'fuzz' ? PARAMETER : `/${prefix}/param`;
    for (const value of ['one', 'two', 'three']) await c.ssm.send(new PutParameterCommand({ Name: parameter, Value: value, Type: 'String', Overwrite: value !== 'one' }));
    await c.ssm.send(new LabelParameterVersionCommand({ Name: parameter, ParameterVersion: 2, Labels: ['fuzzlabel'] }));
    const secret = `${prefix}-secret`;
    const secretArn = (await c.secrets.send(new CreateSecretCommand({ Name: secret, SecretString: '{"user":"fuzz"}', Tags: [{ Key: 'team', Value: 'fuzz' }] }))).ARN!;
    const versionId = (await c.secrets.send(new PutSecretValueCommand({ SecretId: secret, SecretString: 'second', VersionStages: ['AWSCURRENT', 'fuzzstage'] }))).VersionId!;
    return {
      tablename: [table, tableArn], indexname: [`${prefix}-gsi`], resourcearn: [tableArn, secretArn], attributename: ['pk', 'sk', 'g'],
      name: [parameter, secret], names: [parameter], path: [`/${prefix}`], parameterversion: ['1', '2', '3'], labels: ['fuzzlabel'], label: ['fuzzlabel'],
      resourceid: [parameter], resourcetype: ['Parameter'],
      secretid: [secret, secretArn], secretidlist: [secret, secretArn], versionid: [versionId], versionstage: ['AWSCURRENT', 'AWSPREVIOUS', 'fuzzstage'],
      movetoversionid: [versionId], removefromversionid: [versionId],
    };
  });
}

/** The resources fuzzed requests name, and the victims destructive ones may take. */
export async function seedData(url: string): Promise<{ known: KnownIds; victims: KnownIds }> {
  return { known: await seedSet(url, 'fuzz'), victims: await seedSet(url, 'fuzz-victim') };
}

/** The seeded table (its key and items), parameter (its versions) and secret are there, and every list still reads. */
export async function assertDataIntact(url: string): Promise<void> {
  await withClients(url, async (c) => {
    const table = (await c.ddb.send(new DescribeTableCommand({ TableName: TABLE }))).Table!;
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    for (let i = 0; i < 4; i++) assert.ok((await c.ddb.send(new GetItemCommand({ TableName: TABLE, Key: seededKey(i) }))).Item, `the seeded item ${i}`);
    const items = (await c.ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'fuzz-pk' } } }))).Items!;
    assert.ok(items.length >= 4, `the seeded items by Query: ${items.length}`);
    // UpdateTable may legitimately drop the index (its name is known to the fuzz); if it is there it answers.
    if (table.GlobalSecondaryIndexes?.some((i) => i.IndexName === 'fuzz-gsi')) {
      await c.ddb.send(new QueryCommand({ TableName: TABLE, IndexName: 'fuzz-gsi', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g0' } } }));
    }
    await c.ddb.send(new ListTablesCommand({}));
    await c.ssm.send(new GetParameterCommand({ Name: PARAMETER }));
    const history = (await c.ssm.send(new GetParameterHistoryCommand({ Name: PARAMETER }))).Parameters!;
    assert.ok(history.length >= 3, `the seeded parameter's versions: ${history.length}`);
    await c.ssm.send(new DescribeParametersCommand({}));
    assert.equal((await c.secrets.send(new DescribeSecretCommand({ SecretId: SECRET }))).Name, SECRET);
    // UpdateSecretVersionStage may take AWSCURRENT off (the fuzz knows the version id): read a version by its id.
    const versions = (await c.secrets.send(new ListSecretVersionIdsCommand({ SecretId: SECRET, IncludeDeprecated: true }))).Versions ?? [];
    assert.ok(versions.length >= 2, `the seeded secret's versions: ${versions.length}`);
    await c.secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId: versions[0].VersionId }));
    await c.secrets.send(new ListSecretsCommand({}));
  });
}

/** Each victim is whole (answers its reads) or wholly gone. */
export async function assertDataVictimsWholeOrGone(url: string): Promise<void> {
  await withClients(url, async (c) => {
    const table = await found(c.ddb.send(new DescribeTableCommand({ TableName: 'fuzz-victim-table' })));
    if (table) await c.ddb.send(new QueryCommand({ TableName: 'fuzz-victim-table', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'fuzz-pk' } } }));
    else assert.equal(await found(c.ddb.send(new GetItemCommand({ TableName: 'fuzz-victim-table', Key: seededKey(0) }))), undefined, 'items outlived their table');
    if (!await found(c.ssm.send(new GetParameterCommand({ Name: '/fuzz-victim/param' })))) {
      assert.equal(await found(c.ssm.send(new GetParameterHistoryCommand({ Name: '/fuzz-victim/param' }))), undefined, 'history outlived its parameter');
    }
    const secret = await found(c.secrets.send(new DescribeSecretCommand({ SecretId: 'fuzz-victim-secret' })));
    if (secret && !secret.DeletedDate) await c.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'fuzz-victim-secret' }));
  });
}
