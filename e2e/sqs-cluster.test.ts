// SQS in a cluster: two nodes on one PostgreSQL database. Receivers on both nodes race for the
// same messages and none is handed to two of them (claims are compare-and-sets in the database);
// a long poll on one node is woken by a send on the other.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TestServer } from '../src/testing/fixture.js';
import { sqsClient } from '../src/testing/aws.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

/** Receives and deletes until the queue answers empty, recording every message id it was handed. */
async function drain(client: SQSClient, url: string, seen: string[]): Promise<void> {
  for (let empty = 0; empty < 2;) {
    const messages = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 1 }))).Messages ?? [];
    if (!messages.length) {
      empty++;
      continue;
    }
    empty = 0;
    seen.push(...messages.map((m) => m.MessageId!));
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

test('two nodes: receivers on both never get the same message; a send on one wakes a long poll on the other', { timeout: 120_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  const [sqsA, sqsB] = [sqsClient(a.url), sqsClient(b.url)];
  try {
    const { QueueUrl: url } = await sqsA.send(new CreateQueueCommand({ QueueName: 'cluster-work' }));
    const sent: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const out = await sqsA.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `${batch}-${i}` })) }));
      sent.push(...out.Successful!.map((s) => s.MessageId!));
    }
    const urlOnB = url!.replace(a.url, b.url);
    const seen: string[] = [];
    // Two receivers per node, all at once.
    await Promise.all([drain(sqsA, url!, seen), drain(sqsA, url!, seen), drain(sqsB, urlOnB, seen), drain(sqsB, urlOnB, seen)]);
    assert.equal(new Set(seen).size, seen.length, 'no message was handed out twice');
    assert.deepEqual([...seen].sort(), [...sent].sort(), 'every message was received');

    const waiting = sqsB.send(new ReceiveMessageCommand({ QueueUrl: urlOnB, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 300));
    await sqsA.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'from node A' }));
    assert.deepEqual((await waiting).Messages?.map((m) => m.Body), ['from node A']);
  } finally {
    sqsA.destroy();
    sqsB.destroy();
    await a.stop();
    await b.stop();
  }
});
