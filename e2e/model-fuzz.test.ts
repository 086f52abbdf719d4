// Model-driven robustness: every operation of every served AWS API gets seeded, deterministic
// fuzzed requests (missing and mistyped members, oversized and hostile values, malformed bodies,
// duplicate parameters, and valid-looking ones naming real resources). Every answer must be a
// client error in its protocol's AWS shape, never a 5xx (but a documented not-yet 501); the server
// stays up, and the seeded resources are whole afterwards. Live WebSocket connections, domain names,
// VPC links and a code-signing config are seeded too, so requests naming them reach their handlers.
// STAGECRAFT_FUZZ_SEED picks another seed, STAGECRAFT_FUZZ_SCALE multiplies the requests,
// STAGECRAFT_FUZZ_ONLY=service:index[,index…] sends just those cases again, and
// STAGECRAFT_FUZZ_POSTGRES=1 runs the server on PostgreSQL (a throwaway database) instead of SQLite,
// STAGECRAFT_FUZZ_SIGV4=1 with credentials configured, so every request's signature is verified too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../src/testing/fixture.js';
import { testCredentials } from '../src/testing/server.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { seedResources, assertSeededIntact, type Seeded } from '../src/testing/fuzz/seeded-resources.js';
import { runServiceFuzz, FUZZED_SERVICES, type FuzzedService } from '../src/testing/fuzz/run.js';
import { closeConnections } from '../src/testing/fuzz/send.js';
import { seedLiveResources, type LiveResources } from '../src/testing/fuzz/seeded-live.js';
import { seedVictims, assertVictimsWholeOrGone, type Victims } from '../src/testing/fuzz/victims.js';
import { seedIam, assertIamConsistent } from '../src/testing/fuzz/seeded-iam.js';
import { seedMessaging, mergeKnown, assertMessagingIntact } from '../src/testing/fuzz/seeded-messaging.js';
import { seedData, assertDataIntact, assertDataVictimsWholeOrGone } from '../src/testing/fuzz/seeded-data.js';

const seed = Number(process.env.STAGECRAFT_FUZZ_SEED ?? 20261127);
const scale = Number(process.env.STAGECRAFT_FUZZ_SCALE ?? 1);
const [onlyService, onlyIndexes] = (process.env.STAGECRAFT_FUZZ_ONLY ?? '').split(':');
const only = onlyIndexes ? new Set(onlyIndexes.split(',').map(Number)) : undefined;

// Requests per served operation (a third as many for the others): about 5,900 requests in all at scale 1,
// some 20 s on two cores.
const PER_OPERATION: Record<FuzzedService, number> = { lambda: 8, apigateway: 6, apigatewayv2: 6, apigatewaymanagementapi: 30, logs: 12, codedeploy: 12, sts: 12, cloudwatch: 12, cloudformation: 6, iam: 6,
  sqs: 8, 'sqs-query': 4, sns: 6, events: 6, dynamodb: 6, ssm: 6, secretsmanager: 6 };

let env: TestServer;
let database: TestDatabase | undefined;
let seeded: Seeded;
let victims: Victims;
let live: LiveResources;
before(async () => {
  if (process.env.STAGECRAFT_FUZZ_POSTGRES === '1') database = await createTestDatabase();
  env = await TestServer.start({
    args: database ? ['--database', database.url] : [],
    env: process.env.STAGECRAFT_FUZZ_SIGV4 === '1' ? { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } : {},
  });
  seeded = await seedResources(env);
  live = await seedLiveResources(env, env.url, seeded);
  const messaging = await seedMessaging(env.url);
  const data = await seedData(env.url);
  seeded.known = mergeKnown({ ...seeded.known, ...live.known, ...(await seedIam(env.url)) }, messaging.known, data.known);
  victims = await seedVictims(env);
  victims.known = mergeKnown(victims.known, messaging.victims, data.victims);
});
after(async () => {
  live?.close();
  closeConnections();
  await env?.stop();
  await database?.drop();
});

for (const service of Object.keys(FUZZED_SERVICES) as FuzzedService[]) {
  if (onlyService && onlyService !== service) continue;
  test(`${service}: every operation answers fuzzed requests with AWS-shaped client errors`, async () => {
    const started = Date.now();
    const report = await runServiceFuzz({ url: env.url, service, seed, perOperation: Math.max(1, Math.round(PER_OPERATION[service] * scale)), known: seeded.known, victims: victims.known, only });
    console.log(`# ${service}: ${report.requests} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(report.byStatus)}; slowest ${report.slowest.map(([ms, c]) => `${ms} ms ${c}`).join(', ')}`);
    assert.equal(env.server.child.exitCode, null, `the server exited:\n${env.server.stderr().slice(-2000)}`);
    assert.deepEqual(report.failures, [], `${report.failures.length} of ${report.requests} answers were wrong:\n\n${report.failures.slice(0, 30).join('\n\n')}`);
  });
}

test('the seeded resources are intact and every list still reads', async () => {
  await assertSeededIntact(env, seeded);
  await assertIamConsistent(env.url);
  await assertMessagingIntact(env.url);
  await assertDataIntact(env.url);
});

test('what the destructive operations were let at is whole or wholly gone', async () => {
  await assertVictimsWholeOrGone(env, victims);
  await assertDataVictimsWholeOrGone(env.url);
});
