// SQS event source mappings in a cluster: two nodes on one PostgreSQL database both poll a mapping
// created through one of them; every message reaches the function once, and the other node
// delivers alone once the first stops.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { sqsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

const RECEIVER = "exports.handler = async (event) => { for (const r of event.Records) console.log('SQS_BODY ' + r.body); };\n";

test('two nodes poll one mapping: each message is delivered once, and the second node carries on alone', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  const [sqsA, sqsB] = [sqsClient(a.url), sqsClient(b.url)];
  try {
    await createNodeFunction(a.lambda, 'esm-cluster', RECEIVER);
    const { QueueUrl: url } = await sqsA.send(new CreateQueueCommand({ QueueName: 'esm-cluster' }));
    const urlOnB = url!.replace(a.url, b.url);
    const { UUID } = await a.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: `arn:aws:sqs:us-east-1:${testAccount}:esm-cluster`, FunctionName: 'esm-cluster', BatchSize: 3 }));
    await waitFor('Enabled on node B', async () => ((await b.lambda.send(new GetEventSourceMappingCommand({ UUID }))).State === 'Enabled' ? true : undefined));
    const bodies = async (): Promise<string[]> => {
      const { events } = await b.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/esm-cluster', filterPattern: 'SQS_BODY' }))
        .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
      return (events ?? []).map((e) => e.message!.slice(e.message!.indexOf('SQS_BODY ') + 9).trim());
    };
    const sent: string[] = [];
    for (let batch = 0; batch < 4; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `${batch}-${i}` }));
      await sqsB.send(new SendMessageBatchCommand({ QueueUrl: urlOnB, Entries: entries }));
      sent.push(...entries.map((e) => e.MessageBody));
    }
    await waitFor('every message delivered', async () => ((await bodies()).length >= sent.length ? true : undefined), 90_000);
    await waitFor('the queue to be empty', async () => {
      const { Attributes } = await sqsB.send(new GetQueueAttributesCommand({ QueueUrl: urlOnB, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Attributes!.ApproximateNumberOfMessages === '0' && Attributes!.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
    }, 60_000);
    assert.deepEqual((await bodies()).sort(), [...sent].sort(), 'each message once');

    await a.stop();
    await sqsB.send(new SendMessageCommand({ QueueUrl: urlOnB, MessageBody: 'node A is gone' }));
    await waitFor('node B to deliver alone', async () => ((await bodies()).includes('node A is gone') ? true : undefined), 60_000);
  } finally {
    sqsA.destroy();
    sqsB.destroy();
    await a.stop().catch(() => undefined);
    await b.stop();
  }
});
