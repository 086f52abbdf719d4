// Scheduled rules on a two-node cluster sharing PostgreSQL: both nodes run the scheduler, each
// tick is claimed in the database, so the function receives every tick exactly once; none once the
// rule is disabled. Schedule time runs 60 times faster (--events-clock): a minute lasts a second.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DisableRuleCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { TestServer } from '../src/testing/fixture.js';
import { eventBridgeClient } from '../src/testing/aws.js';
import { testRegion } from '../src/testing/server.js';
import { createEventReceiver, functionArn, receivedEvents, ruleArnOf, waitForEvents } from '../src/testing/event-receiver.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes fire a rate(1 minute) rule once per tick, and not while it is disabled', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  const clock = `${Date.now()}x60`;
  const start = () => TestServer.start({ args: ['--database', database!.url, '--events-clock', clock] });
  const [a, b] = [await start(), await start()];
  const [eventsA, eventsB] = [eventBridgeClient(a.url), eventBridgeClient(b.url)];
  try {
    const rule = 'cluster-every-minute';
    await createEventReceiver(a.lambda, 'cluster-ticks', ruleArnOf(rule));
    await eventsA.send(new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(1 minute)' }));
    await eventsB.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fn', Arn: functionArn('cluster-ticks') }] }));
    const received = await waitForEvents(b.logs, 'cluster-ticks', 5);
    for (const e of received) {
      assert.equal(e.source, 'aws.events');
      assert.equal(e['detail-type'], 'Scheduled Event');
      assert.deepEqual(e.resources, [ruleArnOf(rule)]);
      assert.deepEqual(e.detail, {});
      assert.equal(e.region, testRegion);
    }
    await eventsA.send(new DisableRuleCommand({ Name: rule }));
    // Ticks fired before the rule was disabled may still be running: let them land, then count.
    await new Promise((r) => setTimeout(r, 2000));
    const beforeQuiet = await receivedEvents(a.logs, 'cluster-ticks');
    await new Promise((r) => setTimeout(r, 4000));
    const all = await receivedEvents(a.logs, 'cluster-ticks');
    assert.equal(all.length, beforeQuiet.length, 'no tick fires while the rule is disabled');
    const ticks = all.map((e) => Date.parse(e.time)).sort((x, y) => x - y);
    assert.equal(new Set(ticks).size, ticks.length, `each tick once: ${all.map((e) => e.time).join(', ')}`);
    for (let i = 1; i < ticks.length; i++) assert.equal(ticks[i] - ticks[i - 1], 60_000, `consecutive minutes, none lost: ${all.map((e) => e.time).join(', ')}`);
  } finally {
    eventsA.destroy();
    eventsB.destroy();
    await a.stop();
    await b.stop();
  }
});
