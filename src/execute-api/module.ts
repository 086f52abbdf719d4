// The execute-api data plane as one module: the front the edge dispatches API invocations to,
// the test invokers the control plane's TestInvokeMethod and TestInvokeAuthorizer run,
// the per-stage cache of Lambda authorizer results that FlushStageAuthorizersCache clears, the
// stage caches of method responses that FlushStageCache clears, and
// the usage-plan throttle and quota counters of API keys, the stage and method throttles, and
// stage access logging.
import type { ApiRequestMetrics } from '../metrics/metrics.js';
import type { ApiGatewayMetricsRecorder } from '../cloudwatch/apigateway-metrics.js';
import type { HttpApiMetricsRecorder } from '../cloudwatch/httpapi-metrics.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import type { StageRuntime } from '../apigateway/stage-runtime.js';
import type { HttpApiRuntime } from '../apigatewayv2/runtime.js';
import type { DomainRuntime } from '../apigateway/domain-runtime.js';
import type { ApiKeyRuntime } from '../apigateway/api-key-runtime.js';
import type { UsageCounts } from '../apigateway/usage-counts.js';
import type { Invoker } from '../lambda/invoke.js';
import type { FrontHandler } from '../server/edge.js';
import { AuthorizerCache } from './authorizer-cache.js';
import { ResponseCache } from './response-cache.js';
import { JwksCache } from './http-api/jwks.js';
import { RouteThrottle } from './http-api/route-throttle.js';
import { UsageMeter } from './usage-meter.js';
import { MethodThrottle } from './method-throttle.js';
import { AccessLogger, type AccessLogSink } from './access-log.js';
import { ExecutionLogs } from './execution-log.js';
import { createExecuteApiFront } from './front.js';
import type { ConnectionsApi } from './websocket/management.js';
import { createTestInvoker, type TestInvoker } from './test-invoke.js';
import type { VpcLinkLookup } from './integrations/vpc-link.js';
import { createAuthorizerTestInvoker, type AuthorizerTestInvoker } from './test-invoke-authorizer.js';

export interface ExecuteApiOptions {
  stages: StageRuntime;
  /** API keys and usage plans, for methods with apiKeyRequired. */
  apiKeys?: ApiKeyRuntime;
  /** Where usage plans' quota counts are kept (without it, quotas are not enforced). */
  usageCounts?: UsageCounts;
  /** Usage plans' throttles and quotas, when shared with WebSocket APIs (else one is made over `usageCounts`). */
  usageMeter?: UsageMeter;
  invoker: Invoker;
  /** Check Lambda resource policies for API Gateway (AWS behaviour); `serve --no-enforce-permissions` turns it off. */
  enforcePermissions: boolean;
  /** Verifies the signatures of AWS_IAM methods (REST) and routes (HTTP APIs) when credentials are configured. */
  verifier?: SigV4Verifier;
  /** CloudWatch Logs, where stages with access log settings write a line per request. */
  logSink?: AccessLogSink;
  /** Per-stage request counts and latencies (/_stagecraft/metrics). */
  metrics?: ApiRequestMetrics;
  /** AWS/ApiGateway metrics for CloudWatch (REST API stages). */
  cloudWatch?: ApiGatewayMetricsRecorder;
  /** AWS/ApiGateway metrics for CloudWatch (HTTP API stages). */
  httpApiCloudWatch?: HttpApiMetricsRecorder;
  /** HTTP APIs (API Gateway v2), served on the same execute-api hosts. */
  httpApis?: HttpApiRuntime;
  /** Custom domain names, whose base path mappings route requests by Host to REST API stages. */
  domains?: DomainRuntime;
  /** Replaces https://cognito-idp.{region}.amazonaws.com in user pools' issuers (a local user pool emulator). */
  cognitoEndpoint?: string;
  /** WebSocket APIs' @connections API, served on their callback URLs. */
  connections?: ConnectionsApi;
  /** VPC links, which private integrations must name when they are called. */
  vpcLinks?: VpcLinkLookup;
}

export interface ExecuteApi {
  front: FrontHandler;
  testInvoke: TestInvoker;
  testInvokeAuthorizer: AuthorizerTestInvoker;
  flushAuthorizerCache(apiId: string, stageName: string): void;
  flushStageCache(apiId: string, stageName: string): void;
  flushAllStageCaches(): void;
}

export function createExecuteApi(options: ExecuteApiOptions): ExecuteApi {
  const authorizerCache = new AuthorizerCache();
  const responseCache = new ResponseCache();
  // One key cache for every JWT issuer: HTTP APIs' JWT authorizers and REST APIs' user pools.
  const jwks = new JwksCache();
  const deps = {
    stages: options.stages, apiKeys: options.apiKeys, usageMeter: options.usageMeter ?? new UsageMeter(options.usageCounts), throttle: new MethodThrottle(),
    invoker: options.invoker, enforcePermissions: options.enforcePermissions, authorizerCache, verifier: options.verifier,
    metrics: options.metrics, cloudWatch: options.cloudWatch, executionLogs: options.logSink && new ExecutionLogs(options.logSink),
    cognito: { jwks, cognitoEndpoint: options.cognitoEndpoint }, responseCache, vpcLinks: options.vpcLinks,
  };
  const accessLogger = options.logSink && new AccessLogger(options.logSink);
  return {
    front: createExecuteApiFront(deps, accessLogger,
      options.httpApis && {
        runtime: options.httpApis, invoker: options.invoker, enforcePermissions: options.enforcePermissions, accessLogger,
        httpAuthorizerCache: new AuthorizerCache(), jwks, verifier: options.verifier, routeThrottle: new RouteThrottle(), vpcLinks: options.vpcLinks,
        cloudWatch: options.httpApiCloudWatch,
      }, options.domains, options.connections),
    testInvoke: createTestInvoker(deps),
    testInvokeAuthorizer: createAuthorizerTestInvoker(deps),
    flushAuthorizerCache: (apiId, stageName) => authorizerCache.flushStage(apiId, stageName),
    flushStageCache: (apiId, stageName) => responseCache.flushStage(apiId, stageName),
    flushAllStageCaches: () => responseCache.flushAll(),
  };
}
