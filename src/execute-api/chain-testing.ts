// Test support for the chain without sockets: a stage runtime and an invoker standing in for the
// real ones, requests built as the parse step builds them, and the answer a client would get.
import type { Integration } from '../aws/generated/apigateway.js';
import type { ResolvedStage, SnapshotResource, StageRuntime } from '../apigateway/stage-runtime.js';
import type { InvokeInput, InvokeOutcome, Invoker } from '../lambda/invoke.js';
import type { InvocationContext } from './context.js';
import { runChain, type ChainDeps } from './chain.js';
import { errorResponse } from './front.js';
import { collapseLeadingSlashes, parseHeaders, parseQuery } from './request.js';

export const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:fn:${stageVariables.env}/invocations';

export function stageWith(resources: SnapshotResource[], variables: Record<string, string> = { env: 'dev' }, api: Partial<ResolvedStage['api']> = {}): ResolvedStage {
  return {
    api: { id: 'api1', name: 'n', accountId: '000000000000', region: 'us-east-1', rootResourceId: 'root', endpointType: 'REGIONAL', binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false, ...api },
    stage: { name: 'dev', deploymentId: 'dep1', variables, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false, tags: {} },
    deployment: { id: 'dep1', createdDate: 0, snapshot: { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources } },
  };
}

export function runtime(stage: ResolvedStage): StageRuntime {
  return {
    findApi: async (id: string) => (id === 'api1' ? { id, name: 'n', accountId: '000000000000', region: 'us-east-1' } : undefined),
    resolveStage: async (_a: string, _r: string, id: string, name: string) => (id === 'api1' && name === 'dev' ? stage : undefined),
  } as unknown as StageRuntime;
}

export function invoker(fn: (input: InvokeInput) => Promise<InvokeOutcome> | InvokeOutcome): Invoker & { calls: InvokeInput[] } {
  const calls: InvokeInput[] = [];
  return { calls, invoke: async (input: InvokeInput) => { calls.push(input); return fn(input); } } as unknown as Invoker & { calls: InvokeInput[] };
}

export const ok = (payload: unknown): InvokeOutcome => ({ statusCode: 200, requestId: 'lambda-req', executedVersion: '1', payload: Buffer.from(JSON.stringify(payload)) });

export function resource(path: string, methods: Record<string, { integration: Integration; authorizationType?: string; authorizerId?: string; apiKeyRequired?: boolean }>): SnapshotResource {
  return {
    id: `id-${path}`,
    path,
    resourceMethods: Object.fromEntries(Object.entries(methods).map(([m, v]) => [m, {
      httpMethod: m, authorizationType: v.authorizationType ?? 'NONE', authorizerId: v.authorizerId, apiKeyRequired: v.apiKeyRequired, methodIntegration: v.integration,
    }])),
  };
}

export function context(method: string, target: string, options: { headers?: Record<string, string>; body?: string; api?: string; stage?: string } = {}): InvocationContext {
  const [rawPath, rawQuery = ''] = target.split('?');
  const raw: string[] = ['Host', 'api1.execute-api.localhost:4566', 'User-Agent', 'test/1'];
  for (const [k, v] of Object.entries(options.headers ?? {})) raw.push(k, v);
  const { query, multiQuery } = parseQuery(rawQuery);
  return {
    requestId: 'req-1', extendedRequestId: 'ext-1', traceId: 'Root=1-00000000-000000000000000000000000', startedAt: 1_700_000_000_000,
    apiId: options.api ?? 'api1', stageName: options.stage ?? 'dev',
    request: {
      method, rawUrl: `/dev${target}`, rawPath, path: collapseLeadingSlashes(rawPath), rawQuery, query, multiQuery, ...parseHeaders(raw),
      body: Buffer.from(options.body ?? ''), sourceIp: '10.0.0.1', userAgent: 'test/1', protocol: 'HTTP/1.1', host: 'api1.execute-api.localhost:4566', domainPrefix: 'api1',
    },
    stageVariables: null, pathParameters: null,
  };
}

export async function run(deps: ChainDeps, ctx: InvocationContext) {
  try {
    const r = await runChain(ctx, deps);
    return { status: r.status, headers: r.headers, body: r.body.toString() };
  } catch (e) {
    const r = errorResponse(ctx, e);
    return { status: r.status, headers: r.headers, body: r.body.toString() };
  }
}
