// The data services functions call on every request, side by side in one run on one Stagecraft
// server (SQLite, default options): DynamoDB's item reads and writes and a Query page, SSM
// GetParameter and Secrets Manager GetSecretValue, against DynamoDB DescribeTable (an AWS JSON call
// that reads only a table's definition: the floor an item call adds to) — each from 1 and 16
// sequential SDK v3 callers for a fixed time, the calls of one concurrency interleaved in rounds so
// that drift of the machine's speed does not decide the comparison.
// Usage: node dist/bench/data-services.js [--seconds N] [--rounds N] [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { dynamoDbClient, secretsManagerClient, ssmClient } from '../src/testing/aws.js';
import { percentile } from './lib/stats.js';
import { repoRoot } from './lib/processes.js';
import { startStagecraft } from './lib/targets.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string, fallback: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
/** Length of one operation's run in a round, and the rounds per concurrency. */
const seconds = option('--seconds', quick ? 0.5 : 2);
const rounds = option('--rounds', quick ? 1 : 3);
const TABLE = 'bench-items';
/** Items in the queried partition; a Query reads a page of PAGE of them. */
const PARTITION_ITEMS = 1000;
const PAGE = 25;
const PAYLOAD = 'x'.repeat(200);

interface Row { operation: string; concurrency: number; calls: number; perSecond: number; p50: number; p99: number }
const round2 = (x: number): number => Math.round(x * 100) / 100;

type Call = (worker: number, n: number) => Promise<unknown>;

/** Runs `call` from `concurrency` sequential callers for `seconds`: calls made and their latencies. */
async function measure(call: Call, concurrency: number): Promise<{ latencies: number[]; elapsedS: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let n = 0; performance.now() < end; n++) {
      const t = performance.now();
      await call(worker, n);
      latencies.push(performance.now() - t);
    }
  }));
  return { latencies, elapsedS: (performance.now() - started) / 1000 };
}

async function seed(ddb: DynamoDBClient): Promise<void> {
  await ddb.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  for (let first = 0; first < PARTITION_ITEMS; first += 25) {
    const items = Array.from({ length: Math.min(25, PARTITION_ITEMS - first) }, (_, i) => ({
      PutRequest: { Item: { pk: { S: 'orders' }, sk: { N: String(first + i) }, payload: { S: PAYLOAD } } },
    }));
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: items } }));
  }
}

const server = await startStagecraft();
const ddb = dynamoDbClient(server.url);
const ssm = ssmClient(server.url);
const secrets = secretsManagerClient(server.url);
const startedAt = new Date().toISOString();
try {
  await seed(ddb);
  await ssm.send(new PutParameterCommand({ Name: '/bench/config', Type: 'String', Value: 'value' }));
  await secrets.send(new CreateSecretCommand({ Name: 'bench/secret', SecretString: JSON.stringify({ password: 'p' }) }));

  const operations: [string, Call][] = [
    ['DescribeTable (floor)', () => ddb.send(new DescribeTableCommand({ TableName: TABLE }))],
    ['PutItem', (w, n) => ddb.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `put-${w}` }, sk: { N: String(n) }, payload: { S: PAYLOAD } } }))],
    ['GetItem', (_w, n) => ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'orders' }, sk: { N: String(n % PARTITION_ITEMS) } } }))],
    ['UpdateItem (ADD counter)', (w) => ddb.send(new UpdateItemCommand({
      TableName: TABLE, Key: { pk: { S: 'counters' }, sk: { N: String(w) } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }))],
    [`Query (page of ${PAGE} of ${PARTITION_ITEMS})`, (_w, n) => ddb.send(new QueryCommand({
      TableName: TABLE, KeyConditionExpression: 'pk = :pk AND sk >= :from', Limit: PAGE,
      ExpressionAttributeValues: { ':pk': { S: 'orders' }, ':from': { N: String((n * PAGE) % (PARTITION_ITEMS - PAGE)) } },
    }))],
    ['SSM GetParameter', () => ssm.send(new GetParameterCommand({ Name: '/bench/config' }))],
    ['Secrets Manager GetSecretValue', () => secrets.send(new GetSecretValueCommand({ SecretId: 'bench/secret' }))],
  ];
  // Each operation once before anything is measured.
  for (const [, call] of operations) await call(0, 0);

  const rows: Row[] = [];
  for (const concurrency of [1, 16]) {
    const samples = new Map<string, { latencies: number[]; elapsedS: number }>(operations.map(([name]) => [name, { latencies: [], elapsedS: 0 }]));
    for (let r = 0; r < rounds; r++) {
      // A rotating order: no operation always runs first or last in a round.
      for (let i = 0; i < operations.length; i++) {
        const [name, call] = operations[(i + r) % operations.length];
        const run = await measure(call, concurrency);
        const s = samples.get(name)!;
        s.latencies.push(...run.latencies);
        s.elapsedS += run.elapsedS;
      }
    }
    for (const [name] of operations) {
      const s = samples.get(name)!;
      const row = {
        operation: name, concurrency, calls: s.latencies.length, perSecond: round2(s.latencies.length / s.elapsedS),
        p50: round2(percentile(s.latencies, 50)), p99: round2(percentile(s.latencies, 99)),
      };
      console.error(`  c=${concurrency} ${name}: ${row.perSecond}/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
      rows.push(row);
    }
  }

  const results = { startedAt, quick, seconds, rounds, rows };
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'data-services.json'), JSON.stringify(results, null, 2) + '\n');
  console.log([
    '| Operation | Concurrency | Calls/s | p50 (ms) | p99 (ms) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.operation} | ${r.concurrency} | ${r.perSecond} | ${r.p50} | ${r.p99} |`),
  ].join('\n'));
} finally {
  for (const client of [ddb, ssm, secrets]) client.destroy();
  await server.stop();
}
