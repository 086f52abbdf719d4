// Calling a function for an integration, through the one invoke pipeline. API Gateway is a
// service caller: unless the integration carries credentials (an IAM role we take as granted)
// or the server runs with permission checks off, the function's resource policy for the
// qualifier must allow apigateway.amazonaws.com for this method's source ARN — otherwise AWS's
// 500 and a log line naming the missing permission. The integration timeout (29 s unless
// timeoutInMillis says otherwise) ends the wait with a 504; the invocation itself runs on, as on AWS.
import { isAwsError } from '../../core/errors.js';
import { InvokePermissionError, type InvokeOutcome, type InvokeStream, type Invoker } from '../../lambda/invoke.js';
import { arnOf, type FunctionRef } from '../../lambda/names.js';
import type { InvocationContext } from '../context.js';
import { configurationError, integrationTimeout, isGatewayError, lambdaRequestTooLong } from '../errors.js';
import { executeApiSourceArn, lambdaRefFromUri, substituteStageVariables } from '../integration-uri.js';
import { parseFunctionName } from '../../core/arn.js';

export const DEFAULT_TIMEOUT_MS = 29_000;

export interface LambdaCallDeps {
  invoker: Invoker;
  enforcePermissions: boolean;
}

/** The function the integration URI names after stage-variable substitution (500 when it names none). */
export function integrationFunction(ctx: InvocationContext): FunctionRef {
  const ref = functionOfUri(ctx, ctx.integration!.uri);
  if (!ref) throw configurationError(`Invalid Lambda function URI ${substituteStageVariables(ctx.integration!.uri ?? '', ctx.stageVariables)}`);
  return ref;
}

/** The function a Lambda invocation URI names once this request's stage variables are substituted. */
export function functionOfUri(ctx: GatewayCallContext & Pick<InvocationContext, 'stageVariables'>, uri: string | undefined): FunctionRef | undefined {
  const api = ctx.resolved!.api;
  return lambdaRefFromUri(substituteStageVariables(uri ?? '', ctx.stageVariables), api.accountId, api.region);
}

/**
 * The function an AWS_PROXY integration of an HTTP or WebSocket API names once stage variables are
 * substituted: a Lambda function ARN (with a qualifier if any), or API Gateway's invocation URI for one.
 */
export function proxyFunctionOf(uri: string, stageVariables: Record<string, string> | null, api: { accountId: string; region: string }): FunctionRef | undefined {
  const resolved = substituteStageVariables(uri, stageVariables);
  const viaGateway = lambdaRefFromUri(resolved, api.accountId, api.region);
  if (viaGateway) return viaGateway;
  const parsed = resolved.startsWith('arn:') ? parseFunctionName(resolved) : undefined;
  return parsed && { accountId: parsed.accountId ?? api.accountId, region: parsed.region ?? api.region, name: parsed.name, qualifier: parsed.qualifier };
}

export function sourceArn(ctx: InvocationContext): string {
  const api = ctx.resolved!.api;
  return executeApiSourceArn(api.region, api.accountId, ctx.apiId, ctx.stageName, ctx.request.method, ctx.resource!.path);
}

/** How API Gateway calls a function: as whom (source ARN, or an IAM role) and for how long. */
export interface GatewayCall {
  /** The source ARN the resource policy must allow (unless credentials are set). */
  sourceArn: string;
  /** An IAM role API Gateway assumes instead; taken as granted. */
  credentials?: string;
  timeoutMs: number;
  invocationType?: 'RequestResponse' | 'Event';
  payloadIsJson?: boolean;
  /** Takes the function's response stream as it is written (response transfer mode STREAM). */
  stream?: InvokeStream;
}

/** An integration's call of its function. */
export function callFunction(ctx: InvocationContext, deps: LambdaCallDeps, ref: FunctionRef, payload: Buffer, invocationType: 'RequestResponse' | 'Event' = 'RequestResponse', payloadIsJson = false, stream?: InvokeStream): Promise<InvokeOutcome> {
  const integration = ctx.integration!;
  return callAsGateway(ctx, deps, ref, payload, {
    sourceArn: sourceArn(ctx), credentials: integration.credentials, timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS, invocationType, payloadIsJson, stream,
  });
}

/** What a call to a function needs of the request: the API's account and region, and the execution log if any. */
export type GatewayCallContext = Pick<InvocationContext, 'log'> & { resolved?: { api: { accountId: string; region: string } } };

/** Any call API Gateway makes to a function (integrations, Lambda authorizers, WebSocket routes). */
export async function callAsGateway(ctx: GatewayCallContext, deps: LambdaCallDeps, ref: FunctionRef, payload: Buffer, call: GatewayCall): Promise<InvokeOutcome> {
  const api = ctx.resolved!.api;
  const caller = deps.enforcePermissions && !call.credentials
    ? { principal: 'apigateway.amazonaws.com', sourceArn: call.sourceArn, sourceAccount: api.accountId }
    : undefined;
  const timeoutMs = call.timeoutMs;
  const log = ctx.log;
  const started = log ? Date.now() : 0;
  if (log) {
    const endpoint = `https://lambda.${ref.region}.amazonaws.com/2015-03-31/functions/${arnOf(ref, ref.qualifier)}/invocations`;
    log.add(`Endpoint request URI: ${endpoint}`);
    log.add(`Endpoint request body after transformations: ${payload.toString('utf8')}`, 'data');
    log.add(`Sending request to ${endpoint}`);
  }
  const invocation = deps.invoker.invoke({ ref, payload, caller, invocationType: call.invocationType ?? 'RequestResponse', payloadIsJson: call.payloadIsJson ?? false, stream: call.stream });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(integrationTimeout()), timeoutMs);
  });
  try {
    const outcome = await Promise.race([invocation, timeout]);
    if (log) {
      log.add(`Received response. Status: ${outcome.statusCode}, Integration latency: ${Date.now() - started} ms`);
      if (!call.stream) log.add(`Endpoint response body before transformations: ${outcome.payload?.toString('utf8') ?? ''}`, 'data');
    }
    return outcome;
  } catch (e) {
    if (isGatewayError(e)) {
      invocation.catch(() => undefined);
      ctx.log?.add('Execution failed due to a timeout error', 'error');
      throw e;
    }
    // Both are logged (at warn, with the API, stage and request id) where the 500 is written.
    if (e instanceof InvokePermissionError) throw configurationError(`Invalid permissions on Lambda function. ${e.message}`);
    if (isAwsError(e) && e.code === 'RequestEntityTooLargeException') throw lambdaRequestTooLong(`Lambda invocation failed: ${e.code}: ${e.message}`);
    if (isAwsError(e)) throw configurationError(`Lambda invocation failed: ${e.code}: ${e.message}`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
