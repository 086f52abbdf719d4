// The messaging paths on one Stagecraft server (SQLite, default options), side by side in one run:
// SQS alone (SendMessage, ReceiveMessage+DeleteMessage at concurrency 1 and 16), SQS → Lambda through
// an event source mapping (BatchSize 1 and 10: end-to-end latency of messages sent one at a time, and
// the drain of a backlog), the same function invoked with InvocationType Event (Lambda's own queue,
// the baseline), and SNS → Lambda and EventBridge PutEvents → Lambda. End-to-end latency is the
// function's clock when it ran minus the sender's clock just before the call (lib/run-marks.ts).
// Usage: node dist/bench/messaging.js [--seconds N] [--messages N] [--backlog N] [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddPermissionCommand, CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, InvokeCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeClient, lambdaClient, logsClient, snsClient, sqsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { createQueue } from '../src/testing/queue-messages.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { percentile } from './lib/stats.js';
import { repoRoot } from './lib/processes.js';
import { startStagecraft } from './lib/targets.js';
import { inParallel } from './lib/stagecraft-setup.js';
import { MARKING_HANDLER, waitForMarks, type MarkedMessage, type RunMark } from './lib/run-marks.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string, fallback: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
/** Length of each SQS throughput run; messages sent one at a time per end-to-end path; backlog drained per batch size. */
const seconds = option('--seconds', quick ? 1 : 4);
const messages = option('--messages', quick ? 20 : 100);
const backlog = option('--backlog', quick ? 200 : 2000);
/** Pause between two sends of a latency run, so each message travels alone. */
const PACE_MS = 30;

const FN = 'bench-marker';
const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:${FN}`;

interface Latency { n: number; p50: number; p99: number }
interface ThroughputRow { operation: string; concurrency: number; messages: number; perSecond: number; callLatencyMs: Record<string, Latency> }
interface EndToEndRow { path: string; messages: number; latencyMs: Latency }
interface DrainRow { path: string; messages: number; perSecond: number; firstRunAfterMs: number; drainMs: number }

const latency = (samples: number[]): Latency => ({ n: samples.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) });
const round = (x: number): number => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- SQS alone -----------------------------------------------------------------------------------

/** SendMessage from `concurrency` sequential callers for `seconds`. */
async function sendThroughput(sqs: SQSClient, url: string, concurrency: number): Promise<ThroughputRow> {
  const calls: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `message ${calls.length}` }));
      calls.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { operation: 'SendMessage', concurrency, messages: calls.length, perSecond: round(calls.length / elapsed), callLatencyMs: { SendMessage: latency(calls) } };
}

/** ReceiveMessage (one message, no wait) then DeleteMessage, from `concurrency` callers for `seconds` or until the queue is empty. */
async function receiveDeleteThroughput(sqs: SQSClient, url: string, concurrency: number): Promise<ThroughputRow> {
  const receives: number[] = [];
  const deletes: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      let t = performance.now();
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
      receives.push(performance.now() - t);
      if (!Messages?.length) return;
      t = performance.now();
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages[0].ReceiptHandle }));
      deletes.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return {
    operation: 'ReceiveMessage+DeleteMessage', concurrency, messages: deletes.length, perSecond: round(deletes.length / elapsed),
    callLatencyMs: { ReceiveMessage: latency(receives), DeleteMessage: latency(deletes) },
  };
}

// --- End to end ----------------------------------------------------------------------------------

/** Sends `messages` one at a time through `send` (stamped just before each call) and reads when the function ran each. */
async function endToEnd(ctx: Context, path: string, tag: string, send: (body: MarkedMessage) => Promise<void>): Promise<EndToEndRow> {
  const since = Date.now();
  for (let seq = 0; seq < messages; seq++) {
    await send({ tag, seq, sentAt: Date.now() });
    await sleep(PACE_MS);
  }
  const marks = await waitForMarks(ctx.logs, FN, tag, since, messages, 60_000);
  const row = { path, messages: marks.length, latencyMs: latency(marks.map((m) => m.ranAt - m.sentAt)) };
  console.error(`  ${path}: p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms`);
  return row;
}

/** A mapping from a new queue to the function, enabled, with one message through it so its poller runs. */
async function mappedQueue(ctx: Context, name: string, batchSize: number): Promise<{ url: string; uuid: string }> {
  const queue = await createQueue(ctx.sqs, name);
  const { UUID } = await ctx.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: FN, BatchSize: batchSize }));
  for (const deadline = Date.now() + 30_000; (await ctx.lambda.send(new GetEventSourceMappingCommand({ UUID }))).State !== 'Enabled';) {
    if (Date.now() > deadline) throw new Error(`mapping of ${name} not enabled within 30 s`);
    await sleep(200);
  }
  const since = Date.now();
  await ctx.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ tag: `${name}warm`, seq: 0, sentAt: since }) }));
  await waitForMarks(ctx.logs, FN, `${name}warm`, since, 1, 30_000);
  return { url: queue.url, uuid: UUID! };
}

/** Fills a queue with `backlog` messages, then maps it: from the mapping's creation to the function having run them all. */
async function drain(ctx: Context, tag: string, batchSize: number): Promise<DrainRow> {
  const queue = await createQueue(ctx.sqs, tag);
  const batches = Array.from({ length: Math.ceil(backlog / 10) }, (_, b) => b);
  await inParallel(batches, 4, async (b) => {
    const seqs = Array.from({ length: Math.min(10, backlog - b * 10) }, (_, i) => b * 10 + i);
    await ctx.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: seqs.map((seq) => ({ Id: String(seq), MessageBody: JSON.stringify({ tag, seq, sentAt: 0 }) })) }));
  });
  const created = Date.now();
  const { UUID } = await ctx.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queue.arn, FunctionName: FN, BatchSize: batchSize }));
  const marks: RunMark[] = await waitForMarks(ctx.logs, FN, tag, created, backlog, 120_000);
  await ctx.lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  const first = Math.min(...marks.map((m) => m.ranAt));
  const last = Math.max(...marks.map((m) => m.ranAt));
  const row = { path: `SQS → ESM → Lambda, BatchSize ${batchSize}`, messages: marks.length, perSecond: round(marks.length / Math.max(1e-3, (last - first) / 1000)), firstRunAfterMs: first - created, drainMs: last - first };
  console.error(`  drain ${row.path}: ${row.perSecond} messages/s`);
  return row;
}

// --- The run -------------------------------------------------------------------------------------

interface Context { lambda: LambdaClient; sqs: SQSClient; logs: ReturnType<typeof logsClient> }

const server = await startStagecraft();
const lambda = lambdaClient(server.url);
const sqs = sqsClient(server.url);
const logs = logsClient(server.url);
const sns = snsClient(server.url);
const events = eventBridgeClient(server.url);
const ctx: Context = { lambda, sqs, logs };
const startedAt = new Date().toISOString();
try {
  await createNodeFunction(lambda, FN, MARKING_HANDLER);
  await lambda.send(new InvokeCommand({ FunctionName: FN, Payload: Buffer.from('{}') })); // the environment is warm before anything is measured

  console.error(`SQS alone (${seconds} s per run)`);
  const throughput: ThroughputRow[] = [];
  for (const concurrency of [1, 16]) {
    const queue = await createQueue(sqs, `bench-sqs-c${concurrency}`);
    throughput.push(await sendThroughput(sqs, queue.url, concurrency));
    throughput.push(await receiveDeleteThroughput(sqs, queue.url, concurrency));
  }

  console.error(`End to end (${messages} messages one at a time, ${PACE_MS} ms apart)`);
  const endToEndRows: EndToEndRow[] = [];
  for (const batchSize of [1, 10]) {
    const mapped = await mappedQueue(ctx, `esm${batchSize}`, batchSize);
    endToEndRows.push(await endToEnd(ctx, `SQS → ESM → Lambda, BatchSize ${batchSize}`, `esm${batchSize}run`, async (body) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: mapped.url, MessageBody: JSON.stringify(body) }));
    }));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapped.uuid }));
  }
  endToEndRows.push(await endToEnd(ctx, 'Invoke, InvocationType Event (baseline)', 'async', async (body) => {
    await lambda.send(new InvokeCommand({ FunctionName: FN, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(body)) }));
  }));

  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-topic' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn }));
  endToEndRows.push(await endToEnd(ctx, 'SNS Publish → Lambda', 'sns', async (body) => {
    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify(body) }));
  }));

  const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'bench-rule', EventPattern: JSON.stringify({ source: ['bench.messaging'] }) }));
  await lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
  await events.send(new PutTargetsCommand({ Rule: 'bench-rule', Targets: [{ Id: 'marker', Arn: fnArn }] }));
  endToEndRows.push(await endToEnd(ctx, 'EventBridge PutEvents → Lambda', 'events', async (body) => {
    const out = await events.send(new PutEventsCommand({ Entries: [{ Source: 'bench.messaging', DetailType: 'bench', Detail: JSON.stringify(body) }] }));
    if (out.FailedEntryCount) throw new Error(`PutEvents refused an entry: ${JSON.stringify(out.Entries)}`);
  }));

  console.error(`Drain (${backlog} messages queued before the mapping is created)`);
  const drains = [await drain(ctx, 'drain1', 1), await drain(ctx, 'drain10', 10)];

  const results = { startedAt, quick, seconds, messages, backlog, paceMs: PACE_MS, sqs: throughput, endToEnd: endToEndRows, drain: drains };
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'messaging.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(markdown(results));
} finally {
  for (const client of [lambda, sqs, logs, sns, events]) client.destroy();
  await server.stop();
}

function markdown(r: { sqs: ThroughputRow[]; endToEnd: EndToEndRow[]; drain: DrainRow[] }): string {
  const calls = (row: ThroughputRow) => Object.entries(row.callLatencyMs).map(([op, l]) => `${op} ${l.p50} / ${l.p99}`).join('; ');
  return [
    '| SQS alone | Concurrency | Messages | Messages/s | Call latency p50 / p99 (ms) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...r.sqs.map((row) => `| ${row.operation} | ${row.concurrency} | ${row.messages} | ${row.perSecond} | ${calls(row)} |`),
    '',
    '| End to end (send → function ran) | Messages | p50 (ms) | p99 (ms) |',
    '| --- | ---: | ---: | ---: |',
    ...r.endToEnd.map((row) => `| ${row.path} | ${row.messages} | ${row.latencyMs.p50} | ${row.latencyMs.p99} |`),
    '',
    '| Drain of a backlog | Messages | Messages/s (first run → last run) | First run after mapping created (ms) | Drain (ms) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.drain.map((row) => `| ${row.path} | ${row.messages} | ${row.perSecond} | ${row.firstRunAfterMs} | ${row.drainMs} |`),
  ].join('\n');
}
