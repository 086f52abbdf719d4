// SNS in a cluster: two nodes on one PostgreSQL database share topics and subscriptions, and each
// queued delivery is claimed by one node, so an endpoint receives every message published on
// either node once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { TestServer } from '../src/testing/fixture.js';
import { snsClient } from '../src/testing/aws.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { waitFor } from '../src/testing/wait.js';
import { SnsListener } from '../src/testing/sns-listener.js';

let database: TestDatabase | undefined;
const listener = new SnsListener();
after(async () => {
  await listener.close();
  await database?.drop();
});

test('two nodes: messages published on either are delivered once each', { timeout: 120_000 }, async () => {
  database = await createTestDatabase();
  const endpoint = await listener.start();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  const [snsA, snsB] = [snsClient(a.url), snsClient(b.url)];
  try {
    const { TopicArn } = await snsA.send(new CreateTopicCommand({ Name: 'cluster-topic' }));
    await snsB.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint}/cluster` }));
    const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies('/cluster').find((body) => body.Type === 'SubscriptionConfirmation'));
    await snsA.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await (i % 2 ? snsA : snsB).send(new PublishCommand({ TopicArn, Message: `m${i}` }))).MessageId!);
    const notifications = () => listener.bodies('/cluster').filter((body) => body.Type === 'Notification');
    await waitFor('every message', () => (new Set(notifications().map((n) => n.MessageId)).size === 10 ? true : undefined), 60_000);
    // A second delivery of any would come at once: both nodes look at the queue every 2 seconds.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(notifications().map((n) => n.MessageId).sort(), [...ids].sort());
  } finally {
    snsA.destroy();
    snsB.destroy();
    await a.stop();
    await b.stop();
  }
});
