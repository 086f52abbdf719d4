// Stack exports in a cluster: two nodes on one PostgreSQL database. A stack deployed through one
// node exports a value; a stack deployed through the other imports it; the other node refuses to
// delete the exporting stack while the import stands. Two stacks recording one export name through
// the two nodes at the same moment: exactly one owns it, the other gets CloudFormation's refusal.
// One node dropping an export as the other records an import of it: one of them is refused, and no
// import is ever left naming an export that is gone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { nodeHandler, runCli, writeProject } from '../src/cli/testing.js';
import { consumerTemplate, producerTemplate } from '../src/testing/exporting-stacks.js';
import { readExports, recordExports } from '../src/deploy/stack-exports.js';
import { awsCli } from '../src/testing/aws.js';
import { testCredentials, testRegion } from '../src/testing/server.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes: an export recorded through one resolves an import deployed through the other', async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  try {
    const src = { 'src/index.mjs': nodeHandler('ok') };
    const produced = await runCli(['deploy', '--stack-name', 'producer'], { cwd: writeProject({ 'template.yaml': producerTemplate('cluster-exported'), ...src }), endpoint: a.url });
    assert.equal(produced.code, 0, produced.output);
    const consumed = await runCli(['deploy', '--stack-name', 'consumer', '--parameter-overrides', 'Producer=producer'],
      { cwd: writeProject({ 'template.yaml': consumerTemplate('cluster-importer'), ...src }), endpoint: b.url });
    assert.equal(consumed.code, 0, consumed.output);
    const variables = (await a.lambda.send(new GetFunctionCommand({ FunctionName: 'cluster-importer' }))).Configuration?.Environment?.Variables;
    assert.deepEqual(variables, { SHORT: 'cluster-exported', LONG: 'cluster-exported' });
    const refused = await runCli(['delete', '--stack-name', 'producer', '--no-prompts'], { endpoint: a.url });
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.stderr, /Export producer-fn cannot be deleted as it is in use by consumer/);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

/** What recordExports needs to reach a node. */
const via = (node: TestServer) => ({ endpoint: node.url, region: testRegion, credentials: testCredentials });

/** Runs `fn` on two nodes of a fresh database, then stops them and drops it. */
async function onTwoNodes(fn: (a: TestServer, b: TestServer) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', db.url] });
  const [a, b] = [await start(), await start()];
  try {
    await fn(a, b);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await db.drop();
  }
}

test('two nodes: stacks recording one export name at the same moment, exactly one owns it', () => onTwoNodes(async (a, b) => {
  for (let round = 0; round < 8; round++) {
    const name = `raced-${round}`;
    const outcomes = await Promise.allSettled([
      recordExports(via(a), { stackName: `left-${round}`, exports: [{ name, value: 'l' }], imports: [] }),
      recordExports(via(b), { stackName: `right-${round}`, exports: [{ name, value: 'r' }], imports: [] }),
    ]);
    const won = outcomes.findIndex((o) => o.status === 'fulfilled');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, `round ${round}: ${JSON.stringify(outcomes)}`);
    const winner = won === 0 ? `left-${round}` : `right-${round}`;
    const lost = outcomes[1 - won] as PromiseRejectedResult;
    assert.equal((lost.reason as Error).message, `Export with name ${name} is already exported by stack ${winner}`);
    const listed = await awsCli(b.url, ['cloudformation', 'list-exports']);
    assert.equal(listed.code, 0, listed.stderr);
    const owners = (JSON.parse(listed.stdout) as { Exports: { Name: string; ExportingStackId: string }[] }).Exports
      .filter((e) => e.Name === name).map((e) => e.ExportingStackId.split('/')[1]);
    assert.deepEqual(owners, [winner]);
  }
}));

test('two nodes: an export dropped through one as an import of it is recorded through the other, one is refused', () => onTwoNodes(async (a, b) => {
  for (let round = 0; round < 8; round++) {
    const [name, producer, consumer] = [`dropped-${round}`, `producer-${round}`, `consumer-${round}`];
    await recordExports(via(a), { stackName: producer, exports: [{ name, value: 'v' }], imports: [] });
    const [dropped, imported] = await Promise.allSettled([
      recordExports(via(a), { stackName: producer, exports: [], imports: [] }),
      recordExports(via(b), { stackName: consumer, exports: [], imports: [name] }),
    ]);
    const refusal = (o: PromiseSettledResult<unknown>) => (o.status === 'rejected' ? (o.reason as Error).message : undefined);
    if (dropped.status === 'fulfilled') assert.equal(refusal(imported), `No export named ${name} found`, `round ${round}`);
    else assert.deepEqual([refusal(dropped), imported.status], [`Export ${name} cannot be deleted as it is in use by ${consumer}`, 'fulfilled'], `round ${round}`);
    const now = await readExports(via(b));
    const importers = now.find((e) => e.name === name)?.importers ?? [];
    assert.deepEqual(importers, imported.status === 'fulfilled' ? [consumer] : [], `round ${round}: ${JSON.stringify(now)}`);
    const listed = await awsCli(a.url, ['cloudformation', 'list-imports', '--export-name', name]);
    if (imported.status === 'fulfilled') assert.deepEqual(JSON.parse(listed.stdout).Imports, [consumer]);
    else assert.match(listed.stderr, new RegExp(`Export '${name}' is not imported by any stack`));
  }
}));
