// Test support: sends one service's fuzzed requests to a server, a few at a time, judges every
// answer and checks the server's health after each batch. Failures carry the request, written out.
import { loadModel, type ServiceModel } from '../../aws/model.js';
import { fuzzCases, describeCase, type FuzzCase } from './cases.js';
import { sendSigned } from './send.js';
import { judge } from './verdict.js';
import { documentedOperations } from './documented.js';
import type { KnownIds } from './values.js';

export const FUZZED_SERVICES = {
  lambda: 'lambda-2015-03-31',
  apigateway: 'apigateway-2015-07-09',
  apigatewayv2: 'apigatewayv2-2018-11-29',
  apigatewaymanagementapi: 'apigatewaymanagementapi-2018-11-29',
  logs: 'logs-2014-03-28',
  codedeploy: 'codedeploy-2014-10-06',
  sts: 'sts-2011-06-15',
  cloudwatch: 'cloudwatch-2010-08-01',
  cloudformation: 'cloudformation-2010-05-15',
  iam: 'iam-2010-05-08',
  sqs: 'sqs-2012-11-05',
  'sqs-query': 'sqs-query-2012-11-05',
  sns: 'sns-2010-03-31',
  events: 'events-2015-10-07',
  dynamodb: 'dynamodb-2012-08-10',
  ssm: 'ssm-2014-11-06',
  secretsmanager: 'secretsmanager-2017-10-17',
} as const;

/** Services whose model's first protocol is not the one fuzzed (CloudWatch lists RPC v2 CBOR first; SDK v3 and boto3 send JSON 1.0). */
const FUZZED_PROTOCOL: Partial<Record<keyof typeof FUZZED_SERVICES, ServiceModel['metadata']['protocol']>> = { cloudwatch: 'json' };

export type FuzzedService = keyof typeof FUZZED_SERVICES;

export interface FuzzRunOptions {
  url: string;
  service: FuzzedService;
  seed: number;
  perOperation: number;
  known: KnownIds;
  victims?: KnownIds;
  concurrency?: number;
  batch?: number;
  /** Only these case indexes (to send one failing request again). */
  only?: Set<number>;
}

export interface FuzzReport {
  requests: number;
  failures: string[];
  byStatus: Record<number, number>;
  /** The slowest answers: milliseconds and the case. */
  slowest: [number, string][];
}

/** An answer slower than this is a failure: nothing a client sends may keep the server busy that long. */
const SLOW_MS = 10_000;

export async function runServiceFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const loaded: ServiceModel = loadModel(FUZZED_SERVICES[options.service]);
  const protocol = FUZZED_PROTOCOL[options.service];
  const model: ServiceModel = protocol ? { ...loaded, metadata: { ...loaded.metadata, protocol } } : loaded;
  const signingName = model.metadata.signingName ?? model.metadata.endpointPrefix;
  const documented = documentedOperations().get(options.service) ?? new Set<string>();
  const cases = [...fuzzCases({ service: options.service, model, seed: options.seed, known: options.known, victims: options.victims, perOperation: options.perOperation, served: documented })]
    .filter((c) => !options.only || options.only.has(c.index));
  const report: FuzzReport = { requests: 0, failures: [], byStatus: {}, slowest: [] };
  const batch = options.batch ?? 100;
  const one = async (c: FuzzCase) => {
    const problems: string[] = [];
    await Promise.all(Array.from({ length: c.copies }, async () => {
      try {
        const started = Date.now();
        const res = await sendSigned(options.url, signingName, c.wire);
        const ms = Date.now() - started;
        report.slowest = [...report.slowest, [ms, `${c.op.name} #${c.index} (${c.mutation})`] as [number, string]].sort((a, b) => b[0] - a[0]).slice(0, 3);
        if (ms > SLOW_MS) problems.push(`answered after ${ms} ms`);
        report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
        const found = judge({ service: options.service, model, op: c.op, documented }, res);
        if (found.length) problems.push(...found, `answer: ${res.status} ${res.headers['x-amzn-errortype'] ?? ''} ${res.body.toString('utf8').slice(0, 300)}`);
      } catch (e) {
        problems.push(`no answer: ${(e as Error).message}`);
      }
      report.requests++;
    }));
    if (problems.length) report.failures.push(`${describeCase(c, options.seed)}\n  ${problems.join('\n  ')}`);
  };
  for (let start = 0; start < cases.length; start += batch) {
    const slice = cases.slice(start, start + batch);
    let next = 0;
    await Promise.all(Array.from({ length: options.concurrency ?? 6 }, async () => {
      while (next < slice.length) await one(slice[next++]);
    }));
    const health = await fetch(`${options.url}/_stagecraft/health`).catch((e: Error) => ({ ok: false, status: e.message }));
    if (!health.ok) {
      report.failures.push(`server unhealthy (${health.status}) after ${options.service} cases ${start}–${start + slice.length - 1}`);
      break;
    }
  }
  return report;
}
