import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchReferences, fetchSsmParameters, secretReference, substituteDynamic, type ValueSource } from './dynamic-references.js';
import { createTableInput, replacementReason, simpleTableProps } from './dynamodb-resources.js';
import { tagList } from './ssm-resources.js';
import { synthetic } from './source.js';
import { Issues } from './issues.js';
import { resolveParameters } from './parameters.js';
import type { Template } from './template.js';

const node = synthetic('x', 'Resources.X', { file: 'template.yaml', line: 1, column: 1 });

/** A Parameter Store with versions and a Secrets Manager with staged values, in memory. */
const source: ValueSource = {
  async parameter(name, version) {
    const versions: Record<string, string[]> = { '/app/host': ['h1', 'h2'], '/app/list': ['a,b'] };
    const v = versions[name];
    return v ? v[version ? Number(version) - 1 : v.length - 1] : undefined;
  },
  async secret(id, stage) {
    if (id !== 'db' && !id.endsWith(':secret:db-AbC123')) throw Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' });
    return stage === 'AWSPREVIOUS' ? '{"user":"old"}' : '{"user":"app","port":5432}';
  },
};

test('a secretsmanager reference\'s parts, its ID a name or an ARN', () => {
  assert.deepEqual(secretReference('db:SecretString:user:AWSPREVIOUS'), { id: 'db', field: 'SecretString', key: 'user', stage: 'AWSPREVIOUS', versionId: undefined });
  assert.deepEqual(secretReference('arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbC123:SecretString:::v-1'),
    { id: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbC123', field: 'SecretString', key: undefined, stage: undefined, versionId: 'v-1' });
  assert.deepEqual(secretReference('db'), { id: 'db', field: undefined, key: undefined, stage: undefined, versionId: undefined });
});

test('references are read (latest or a version, a JSON key, a stage) and substituted inside strings', async () => {
  const refs = ['{{resolve:ssm:/app/host}}', '{{resolve:ssm:/app/host:1}}', '{{resolve:secretsmanager:db:SecretString:port}}',
    '{{resolve:secretsmanager:db:SecretString:user:AWSPREVIOUS}}', '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbC123}}'];
  const values = await fetchReferences(refs, source);
  assert.deepEqual([...values.values()], ['h2', 'h1', '5432', 'old', '{"user":"app","port":5432}']);
  assert.equal(substituteDynamic('jdbc://{{resolve:ssm:/app/host}}:{{resolve:secretsmanager:db:SecretString:port}}/x', values, node), 'jdbc://h2:5432/x');
  assert.equal(substituteDynamic('plain', values, node), 'plain');
  assert.throws(() => substituteDynamic('{{resolve:ssm:/other}}', values, node), /dynamic reference \{\{resolve:ssm:\/other\}\} was not read before the deploy/);
});

test('missing parameters and secrets fail with CloudFormation\'s messages', async () => {
  await assert.rejects(fetchReferences(['{{resolve:ssm:/nope}}', '{{resolve:ssm:/app/host:9}}'], source), { message: 'Parameters: [ssm:/nope, ssm:/app/host:9] cannot be found.' });
  await assert.rejects(fetchReferences(['{{resolve:secretsmanager:other}}'], source), /can't find the specified secret/);
  await assert.rejects(fetchReferences(['{{resolve:secretsmanager:db:SecretString:absent}}'], source), /has no key absent/);
  await assert.rejects(fetchReferences(['{{resolve:secretsmanager:db:SecretBinary}}'], source), /second segment must be SecretString/);
  const typed = [{ name: 'Host', type: 'AWS::SSM::Parameter::Value<String>', given: '/app/host' }, { name: 'Gone', type: 'AWS::SSM::Parameter::Value<String>', given: '/gone' }];
  await assert.rejects(fetchSsmParameters(typed, source), { message: 'Unable to fetch parameters [/gone] from parameter store for this account.' });
  assert.deepEqual([...(await fetchSsmParameters([typed[0], { name: 'Plain', type: 'String', given: '/gone' }], source))], [['Host', 'h2']]);
});

test('a SimpleTable expands to SAM\'s table; key or LSI changes need a new table, throughput does not', () => {
  assert.deepEqual(simpleTableProps({}), {
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  });
  const provisioned = simpleTableProps({ PrimaryKey: { Name: 'n', Type: 'Number' }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 }, TableName: 't', Tags: { a: 'b' } });
  assert.equal(provisioned.BillingMode, 'PROVISIONED');
  assert.deepEqual(provisioned.Tags, [{ Key: 'a', Value: 'b' }]);
  const input = createTableInput('t', { ...provisioned, ProvisionedThroughput: { ReadCapacityUnits: '2', WriteCapacityUnits: '1' } }, []);
  assert.deepEqual(input.ProvisionedThroughput, { ReadCapacityUnits: 2, WriteCapacityUnits: 1 }, 'numbers written as strings are numbers');
  const current = { KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' as const }] };
  assert.equal(replacementReason(current, input), undefined);
  assert.equal(replacementReason(current, createTableInput('t', simpleTableProps({}), [])), 'KeySchema');
  const lsi = { LocalSecondaryIndexes: [{ IndexName: 'l', KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }, { AttributeName: 's', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] };
  assert.equal(replacementReason(current, createTableInput('t', { ...provisioned, ...lsi }, [])), 'LocalSecondaryIndexes');
});

test('an SSM parameter\'s Tags map is a tag list', () => {
  assert.deepEqual(tagList({ team: 'a', n: 1 }), [{ Key: 'team', Value: 'a' }, { Key: 'n', Value: '1' }]);
});

test('SSM-typed parameters take Parameter Store\'s value (a list type split at commas); without values, their names', () => {
  const loc = { file: 'template.yaml', line: 1, column: 1 };
  const param = (name: string, type: string, def: string) => ({ name, type, node: synthetic({ Type: type, Default: def }, `Parameters.${name}`, loc), loc, path: `Parameters.${name}` });
  const template = { file: 'template.yaml', parameters: [param('Host', 'AWS::SSM::Parameter::Value<String>', '/app/host'), param('Zones', 'AWS::SSM::Parameter::Value<List<String>>', '/app/list')] } as unknown as Template;
  const issues = new Issues();
  const resolved = resolveParameters(template, {}, issues, '--parameter-overrides', new Map([['Host', 'h2'], ['Zones', 'a, b']]));
  assert.deepEqual(issues.errors, []);
  assert.deepEqual([...resolved.values], [['Host', 'h2'], ['Zones', ['a', 'b']]]);
  assert.deepEqual([...resolveParameters(template, {}, new Issues()).values], [['Host', '/app/host'], ['Zones', ['/app/list']]]);
});
