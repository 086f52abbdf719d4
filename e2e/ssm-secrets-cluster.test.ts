// SSM parameters and Secrets Manager secrets in a cluster: two nodes on one PostgreSQL database.
// Overwrites racing on both nodes each get a version of their own (writes are compare-and-sets),
// and what one node writes the other reads at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { TestServer } from '../src/testing/fixture.js';
import { secretsManagerClient, ssmClient } from '../src/testing/aws.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes: racing overwrites keep every version; each node reads the other\'s writes', { timeout: 120_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  const [ssmA, ssmB] = [ssmClient(a.url), ssmClient(b.url)];
  const [smA, smB] = [secretsManagerClient(a.url), secretsManagerClient(b.url)];
  try {
    await ssmA.send(new PutParameterCommand({ Name: '/cluster/p', Value: 'v0', Type: 'String' }));
    const puts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? ssmA : ssmB).send(new PutParameterCommand({ Name: '/cluster/p', Value: `v${i + 1}`, Overwrite: true }))));
    assert.deepEqual(puts.map((p) => p.Version!).sort((x, y) => x - y), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const history = await ssmB.send(new GetParameterHistoryCommand({ Name: '/cluster/p' }));
    assert.equal(history.Parameters?.length, 11);
    const latest = history.Parameters![10].Value;
    assert.equal((await ssmA.send(new GetParameterCommand({ Name: '/cluster/p' }))).Parameter?.Value, latest);

    await smA.send(new CreateSecretCommand({ Name: 'cluster/s', SecretString: 's0' }));
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? smA : smB).send(new PutSecretValueCommand({ SecretId: 'cluster/s', SecretString: `s${i + 1}` }))));
    const stages = Object.values((await smB.send(new DescribeSecretCommand({ SecretId: 'cluster/s' }))).VersionIdsToStages!);
    assert.deepEqual(stages.map((s) => s.join()).sort(), ['AWSCURRENT', 'AWSPREVIOUS']);
    const current = await smA.send(new GetSecretValueCommand({ SecretId: 'cluster/s' }));
    assert.equal((await smB.send(new GetSecretValueCommand({ SecretId: 'cluster/s' }))).SecretString, current.SecretString);
  } finally {
    for (const c of [ssmA, ssmB, smA, smB]) c.destroy();
    await a.stop();
    await b.stop();
  }
});
