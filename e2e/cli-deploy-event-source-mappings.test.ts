// `stagecraft deploy` with an AWS::Lambda::EventSourceMapping: the mapping is created with the
// stack and delivers the queue's messages to the function, a later deploy updates the same
// mapping, and one without it in the template deletes it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetEventSourceMappingCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { waitFor } from '../src/testing/wait.js';
import { sqsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let client: SQSClient | undefined;
after(() => client?.destroy());

const CODE = "exports.handler = async (event) => { for (const r of event.Records) console.log('GOT ' + r.body); };\n";
const mappingResource = (queueArn: string, batchSize: number) => `  Jobs:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: ${queueArn}
      FunctionName: !Ref Hello
      BatchSize: ${batchSize}
`;

test('a template\'s event source mapping delivers, is updated in place, and is deleted when the template drops it', { timeout: 180_000 }, async () => {
  client = sqsClient(env.url);
  const fn = unique('esm-deploy');
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: fn }));
  const queueArn = `arn:aws:sqs:us-east-1:${testAccount}:${fn}`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + mappingResource(queueArn, 5), 'src/index.js': CODE }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  const mappings = async () => (await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }))).EventSourceMappings ?? [];
  const [created] = await mappings();
  assert.equal(created.BatchSize, 5);
  assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`);

  await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'deployed' }));
  await waitFor('the delivery', async () => {
    const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'GOT' }))
      .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
    return events?.some((e) => e.message!.includes('GOT deployed')) ? true : undefined;
  }, 60_000);

  writeFiles(dir, { 'template.yaml': SAM_HEADER + liveFunction(fn) + mappingResource(queueArn, 2) });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  const [updated] = await mappings();
  assert.equal(updated.UUID, created.UUID, 'the same mapping');
  assert.equal(updated.BatchSize, 2);

  writeFiles(dir, { 'template.yaml': SAM_HEADER + liveFunction(fn) });
  const third = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(third.code, 0, third.output);
  await waitFor('the mapping to be gone', () => env.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })).then(() => undefined, (e: Error) => e.name));
  assert.deepEqual(await mappings(), []);
});

test('a SAM function\'s SQS event on the template\'s queue: the mapping on the alias delivers, and goes with the event', { timeout: 180_000 }, async () => {
  client ??= sqsClient(env.url);
  const fn = unique('esm-sam');
  const queue = `${fn}-jobs`;
  const queueResource = `  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: ${queue}
      VisibilityTimeout: 30
`;
  const withEvent = liveFunction(fn, `      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 3
`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + queueResource + withEvent, 'src/index.js': CODE }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.doesNotMatch(first.output, /skipped/i);
  const queueArn = `arn:aws:sqs:us-east-1:${testAccount}:${queue}`;
  const [mapping, ...more] = (await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }))).EventSourceMappings ?? [];
  assert.equal(more.length, 0);
  assert.equal(mapping.BatchSize, 3);
  assert.equal(mapping.FunctionArn, `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}:live`, 'SAM maps the queue to the alias');

  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queue }));
  await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'from sam' }));
  await waitFor('the delivery', async () => {
    const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'GOT' }))
      .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
    return events?.some((e) => e.message!.includes('GOT from sam')) ? true : undefined;
  }, 60_000);

  writeFiles(dir, { 'template.yaml': SAM_HEADER + queueResource + liveFunction(fn) });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  await waitFor('the mapping to be gone', () => env.lambda.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID })).then(() => undefined, (e: Error) => e.name));
});
