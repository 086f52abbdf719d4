// TestInvokeMethod: runs one method of the API as it is now (not a deployment) through the same
// chain steps a real invocation takes after routing — method request checks, integration and
// integration response — with the stage variables the caller passes, and reports status, body,
// headers, latency and an execution log as API Gateway does.
import { randomUUID } from 'node:crypto';
import type { TestInvokeMethodRequest, TestInvokeMethodResponse } from '../aws/generated/apigateway.js';
import type { DeploymentSnapshot, MethodRecord, ResourceRecord, RestApiRecord } from '../store/apigateway-store.js';
import type { ResolvedStage, SnapshotResource, StageClientCertificate } from '../apigateway/stage-runtime.js';
import type { ExecutionLog, InvocationContext, InvocationRequest } from './context.js';
import { mapText } from './execution-log.js';
import { integrate, methodRequest, type ChainDeps } from './chain.js';
import { errorResponse, tracedIntegration } from './front.js';
import { newExtendedRequestId, traceIdFor } from './ids.js';
import { collapseLeadingSlashes, parseHeaders, parseQuery } from './request.js';
import { compileRoutes, matchRoute } from './router.js';

export const TEST_INVOKE_STAGE = 'test-invoke-stage';

/** What the control plane hands over: the API, resource and method as stored now, and the request. */
export interface TestInvokeInput {
  api: RestApiRecord;
  resource: ResourceRecord;
  method: MethodRecord;
  request: TestInvokeMethodRequest;
  sourceIp?: string;
  /** The certificate the request's clientCertificateId names, presented to HTTP backends. */
  clientCertificate?: StageClientCertificate;
}

export type TestInvoker = (input: TestInvokeInput) => Promise<TestInvokeMethodResponse>;

/** Java's Date#toString, which the execution log uses: "Thu Jan 04 10:12:31 UTC 2024". */
export function logTime(d: Date): string {
  const s = d.toUTCString(); // "Thu, 04 Jan 2024 10:12:31 GMT"
  const [, dow, day, mon, year, time] = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+)/.exec(s) ?? [];
  return `${dow} ${mon} ${day} ${time} UTC ${year}`;
}

export { mapText };

/** A test invoke's execution log: every step with its time, as TestInvokeMethod and TestInvokeAuthorizer answer it. */
export class TestInvokeLog implements ExecutionLog {
  readonly #lines: string[];

  constructor(requestId: string) {
    this.#lines = [`Execution log for request ${requestId}`];
  }

  add(text: string): void {
    this.#lines.push(`${logTime(new Date())} : ${text}`);
  }

  text(): string {
    return this.#lines.join('\n') + '\n';
  }
}

/** The request a test invoke describes: headers (multi-value ones first), the path with its query string, the body. */
export function testRequest(
  api: RestApiRecord,
  input: { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; pathWithQueryString?: string; body?: string },
  httpMethod: string,
  defaultPath: string,
  sourceIp?: string,
): InvocationRequest {
  const pathWithQuery = input.pathWithQueryString && input.pathWithQueryString !== '' ? input.pathWithQueryString : defaultPath;
  const q = pathWithQuery.indexOf('?');
  const rawPath = (q < 0 ? pathWithQuery : pathWithQuery.slice(0, q)) || '/';
  const rawQuery = q < 0 ? '' : pathWithQuery.slice(q + 1);

  // As a client would have sent them: every multi-value header, then the single-value ones not among them.
  const raw: string[] = [];
  const multiNames = new Set<string>();
  for (const [k, values] of Object.entries(input.multiValueHeaders ?? {})) {
    if (values.length > 0) multiNames.add(k.toLowerCase());
    for (const v of values) raw.push(k, v);
  }
  for (const [k, v] of Object.entries(input.headers ?? {})) if (!multiNames.has(k.toLowerCase())) raw.push(k, v);
  const { headers, multiHeaders, headerNames } = parseHeaders(raw);

  const { query, multiQuery } = parseQuery(rawQuery);
  const body = Buffer.from(input.body ?? '', 'utf8');
  return {
    method: httpMethod,
    rawUrl: `/${rawPath.replace(/^\/+/, '')}${rawQuery ? `?${rawQuery}` : ''}`,
    rawPath: rawPath.startsWith('/') ? rawPath : `/${rawPath}`,
    path: collapseLeadingSlashes(rawPath.startsWith('/') ? rawPath : `/${rawPath}`),
    rawQuery,
    query,
    multiQuery,
    headers,
    multiHeaders,
    headerNames,
    body,
    sourceIp: sourceIp ?? 'test-invoke-source-ip',
    userAgent: headers[headerNames.get('user-agent') ?? ''] ?? '',
    protocol: 'HTTP/1.1',
    host: `${api.id}.execute-api.${api.region}.amazonaws.com`,
    domainPrefix: api.id,
  };
}

/**
 * The context of a test invoke: a stage that exists only for it (the API as stored now, the
 * caller's stage variables) and an execution log; the caller adds what routing would have found.
 */
export function testContext(api: RestApiRecord, snapshot: DeploymentSnapshot, stageName: string, request: InvocationRequest,
  stageVariables: Record<string, string> | undefined, startedAt: number): InvocationContext & { log: TestInvokeLog } {
  const variables = { ...(stageVariables ?? {}) };
  const resolved: ResolvedStage = {
    api: {
      id: api.id, name: api.name, accountId: api.accountId, region: api.region, rootResourceId: api.rootResourceId,
      endpointType: api.endpointConfiguration.types[0], binaryMediaTypes: api.binaryMediaTypes, apiKeySource: api.apiKeySource,
      disableExecuteApiEndpoint: false,
    },
    stage: { name: stageName, deploymentId: 'test-invoke-deployment-id', variables, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false, tags: {} },
    deployment: { id: 'test-invoke-deployment-id', createdDate: startedAt, snapshot },
  };
  const requestId = randomUUID();
  return {
    requestId,
    extendedRequestId: newExtendedRequestId(),
    traceId: traceIdFor(undefined, startedAt),
    startedAt,
    apiId: api.id,
    stageName,
    request,
    resolved,
    stageVariables: Object.keys(variables).length ? variables : null,
    pathParameters: null,
    log: new TestInvokeLog(requestId),
  };
}

export function createTestInvoker(deps: ChainDeps): TestInvoker {
  return async ({ api, resource, method, request: input, sourceIp, clientCertificate }) => {
    const startedAt = Date.now();
    const request = testRequest(api, input, method.httpMethod === 'ANY' ? input.httpMethod.toUpperCase() : method.httpMethod, resource.path, sourceIp);
    const { headers, query, body } = request;

    const snapshotResource: SnapshotResource = { ...resource, resourceMethods: { [method.httpMethod]: method } };
    const snapshot: DeploymentSnapshot = {
      api: { binaryMediaTypes: api.binaryMediaTypes, apiKeySource: api.apiKeySource, disableExecuteApiEndpoint: api.disableExecuteApiEndpoint },
      resources: [snapshotResource],
    };
    const match = matchRoute(compileRoutes(snapshot), request.method, request.path);
    const ctx = testContext(api, snapshot, TEST_INVOKE_STAGE, request, input.stageVariables, startedAt);
    if (clientCertificate) ctx.resolved = { ...ctx.resolved!, stage: { ...ctx.resolved!.stage, clientCertificate } };
    ctx.resource = snapshotResource;
    ctx.method = method;
    ctx.pathParameters = match?.pathParameters ?? null;
    ctx.integration = method.methodIntegration;
    const { requestId, log } = ctx;

    log.add(`Starting execution for request: ${requestId}`);
    log.add(`HTTP Method: ${request.method}, Resource Path: ${resource.path}`);
    log.add(`Method request path: ${mapText(ctx.pathParameters)}`);
    log.add(`Method request query string: ${mapText(query)}`);
    log.add(`Method request headers: ${mapText(headers)}`);
    log.add(`Method request body before transformations: ${body.toString('utf8')}`);

    let response;
    try {
      methodRequest(ctx);
      response = await integrate(ctx, deps);
      log.add(`Method response body after transformations: ${response.body.toString('utf8')}`);
      log.add(`Method response headers: ${mapText(Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])))}`);
      log.add('Successfully completed execution');
    } catch (e) {
      response = errorResponse(ctx, e);
    }
    log.add(`Method completed with status: ${response.status}`);

    const traced = tracedIntegration(ctx);
    const outHeaders: Record<string, string> = {};
    const outMulti: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(response.headers)) {
      const values = Array.isArray(v) ? v : [v];
      outMulti[k] = values;
      outHeaders[k] = values[values.length - 1];
    }
    if (traced) {
      outHeaders['X-Amzn-Trace-Id'] = ctx.traceId;
      outMulti['X-Amzn-Trace-Id'] = [ctx.traceId];
    }
    return {
      status: response.status,
      body: response.body.toString('utf8'),
      headers: outHeaders,
      multiValueHeaders: outMulti,
      log: log.text(),
      latency: Date.now() - startedAt,
    };
  };
}
