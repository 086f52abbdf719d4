// A scheduled rule across a restart: ticks that passed while the server was down are not fired as
// a backlog; the latest of them fires once when it is back, then the schedule goes on. Schedule
// time runs 30 times faster (--events-clock): a minute lasts two seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { TestServer } from '../src/testing/fixture.js';
import { eventBridgeClient } from '../src/testing/aws.js';
import { createEventReceiver, functionArn, receivedEvents, ruleArnOf, waitForEvents } from '../src/testing/event-receiver.js';

test('ticks missed while stopped fire once at restart, not as a backlog', { timeout: 180_000 }, async () => {
  const anchor = Date.now();
  const scale = 30;
  const scheduleTime = (wallMs: number) => anchor + (wallMs - anchor) * scale;
  const options = { args: ['--events-clock', `${anchor}x${scale}`] };
  let server = await TestServer.start(options);
  let events = eventBridgeClient(server.url);
  try {
    const rule = 'restart-every-minute';
    await createEventReceiver(server.lambda, 'restart-ticks', ruleArnOf(rule));
    await events.send(new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(1 minute)' }));
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fn', Arn: functionArn('restart-ticks') }] }));
    await waitForEvents(server.logs, 'restart-ticks', 1);
    events.destroy();
    await server.server.stop({ remove: false });
    const stoppedAt = scheduleTime(Date.now());
    // Down for at least four schedule minutes.
    await new Promise((r) => setTimeout(r, 8000));
    const downUntil = scheduleTime(Date.now());
    server = await TestServer.start({ ...options, dataDir: server.server.dataDir });
    const upAt = scheduleTime(Date.now());
    events = eventBridgeClient(server.url);
    const before = (await receivedEvents(server.logs, 'restart-ticks')).length;
    const all = await waitForEvents(server.logs, 'restart-ticks', before + 2);
    const ticks = all.map((e) => Date.parse(e.time)).sort((x, y) => x - y);
    assert.equal(new Set(ticks).size, ticks.length, 'each tick once');
    // Of the four or more ticks that fell while it was down, at most the latest fired (a tick
    // falling while the server started may be the one fired instead).
    const whileDown = ticks.filter((t) => t > stoppedAt && t <= downUntil);
    assert.ok(whileDown.length <= 1, `no backlog: ${all.map((e) => e.time).join(', ')}`);
    // The missed tick fires on the scheduler's first pass, before the server is up: none lost.
    const firstAfter = ticks.find((t) => t > stoppedAt)!;
    assert.ok(firstAfter <= upAt, `the missed tick fired at once: ${all.map((e) => e.time).join(', ')}`);
  } finally {
    events.destroy();
    await server.stop();
  }
});
