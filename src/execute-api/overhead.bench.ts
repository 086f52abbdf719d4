// How much time the execute-api chain adds per request, without sockets and without a function:
// the front handles synthetic requests for a deployed AWS_PROXY method (and a MOCK one) whose
// invoker answers at once. Run: node dist/src/execute-api/overhead.bench.js [iterations]
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedStage, SnapshotResource, StageRuntime } from '../apigateway/stage-runtime.js';
import type { InvokeOutcome, Invoker } from '../lambda/invoke.js';
import { createExecuteApiFront } from './front.js';
import { MethodThrottle } from './method-throttle.js';
import { AccessLogger } from './access-log.js';

const iterations = Number(process.argv[2] ?? 50_000);
const payload = Buffer.from(JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '"Hello from Lambda"' }));
const outcome: InvokeOutcome = { statusCode: 200, requestId: 'r', executedVersion: '1', payload };

const resources: SnapshotResource[] = [
  { id: 'root', path: '/', resourceMethods: {} },
  { id: 'hello', path: '/hello', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', methodIntegration: { type: 'AWS_PROXY' as const, httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:hello-lambda:${stageVariables.env}/invocations' } } } },
  { id: 'mock', path: '/mock', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', methodIntegration: { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { statusCode: '200', responseTemplates: { 'application/json': '"Hello from Lambda"' } } } } } } },
];
for (let i = 0; i < 300; i++) resources.push({ id: `r${i}`, path: `/svc${i}/{id}`, resourceMethods: {} });
const stage: ResolvedStage = {
  api: { id: 'api1', name: 'n', accountId: '000000000000', region: 'us-east-1', rootResourceId: 'root', endpointType: 'REGIONAL', binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false },
  stage: { name: 'dev', deploymentId: 'd', variables: { env: 'dev' }, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false, tags: {} },
  deployment: { id: 'd', createdDate: 0, snapshot: { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources } },
};
const stages = {
  findApi: async () => ({ id: 'api1', name: 'n', accountId: '000000000000', region: 'us-east-1' }),
  resolveStage: async (_a: string, _r: string, _id: string, name: string) => (name === 'dev' ? stage : undefined),
} as unknown as StageRuntime;
const invoker = { invoke: async () => outcome } as unknown as Invoker;
// As the server wires it: stage throttling and access logging present, the stage using neither.
const front = createExecuteApiFront({ stages, invoker, enforcePermissions: true, throttle: new MethodThrottle() }, new AccessLogger({ append() {} }));

function request(path: string): IncomingMessage {
  const req = new EventEmitter() as unknown as IncomingMessage & { resume(): void };
  Object.assign(req, {
    url: path, method: 'GET', httpVersion: '1.1',
    headers: { host: 'api1.execute-api.localhost:4566', 'user-agent': 'bench', accept: '*/*' },
    rawHeaders: ['Host', 'api1.execute-api.localhost:4566', 'User-Agent', 'bench', 'Accept', '*/*'],
    socket: { remoteAddress: '127.0.0.1', localPort: 4566 },
    resume() {},
  });
  return req;
}

function response(): ServerResponse & { status?: number } {
  const res = { headersSent: false, destroyed: false, writeHead(status: number) { res.status = status; return res; }, end() { return res; } } as unknown as ServerResponse & { status?: number };
  return res;
}

async function measure(path: string): Promise<{ meanUs: number; p50Us: number; p99Us: number; status?: number }> {
  for (let i = 0; i < 5000; i++) await front.handle(request(path), response(), new URL('http://x'));
  const samples = new Float64Array(iterations);
  let status: number | undefined;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    const res = response();
    await front.handle(request(path), res, new URL('http://x'));
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
    status = res.status;
  }
  const meanUs = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  samples.sort();
  return { meanUs, p50Us: samples[Math.floor(iterations * 0.5)], p99Us: samples[Math.floor(iterations * 0.99)], status };
}

for (const path of ['/dev/hello', '/dev/mock', '/dev/svc7/x', '/qa/hello']) {
  const r = await measure(path);
  process.stdout.write(`${path.padEnd(14)} status ${r.status}  mean ${r.meanUs.toFixed(1)} µs  p50 ${r.p50Us.toFixed(1)} µs  p99 ${r.p99Us.toFixed(1)} µs\n`);
}
