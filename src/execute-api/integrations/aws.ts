// AWS: a non-proxy integration with an AWS service. Lambda is the service supported: the request
// template (or the passed-through body) is the event, the function's result goes through the
// integration responses — a function error selects by its errorMessage, success takes the default.
// `integration.request.header.X-Amz-Invocation-Type: 'Event'` invokes asynchronously.
import type { InvocationContext, InvocationResponse } from '../context.js';
import { configurationError } from '../errors.js';
import { integrationPayload, mapRequestParameters, withRequestOverrides } from '../integration-request.js';
import { applyIntegrationResponse, selectIntegrationResponse, type EndpointResponse } from '../integration-response.js';
import { substituteStageVariables } from '../integration-uri.js';
import { callFunction, integrationFunction, type LambdaCallDeps } from './lambda.js';

export async function invokeAws(ctx: InvocationContext, deps: LambdaCallDeps): Promise<InvocationResponse> {
  const integration = ctx.integration!;
  const uri = substituteStageVariables(integration.uri ?? '', ctx.stageVariables);
  if (!/^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\//.test(uri)) {
    throw configurationError(`AWS service integrations other than Lambda are not supported by Stagecraft yet (${uri})`);
  }
  const ref = integrationFunction(ctx);
  const { body } = integrationPayload(ctx);
  const mapped = withRequestOverrides(ctx, mapRequestParameters(ctx));
  let invocationType: 'RequestResponse' | 'Event' = 'RequestResponse';
  for (const [name, value] of Object.entries(mapped.header)) {
    if (name.toLowerCase() === 'x-amz-invocation-type' && value === 'Event') invocationType = 'Event';
  }
  const outcome = await callFunction(ctx, deps, ref, body, invocationType);
  const payload = outcome.payload ?? Buffer.alloc(0);
  const endpoint: EndpointResponse = {
    status: outcome.statusCode,
    headers: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': outcome.executedVersion ?? '$LATEST' },
    body: payload,
  };
  let selector: string | undefined;
  if (outcome.functionError) {
    endpoint.headers['X-Amz-Function-Error'] = outcome.functionError;
    selector = errorMessageOf(payload);
  }
  const selected = outcome.functionError
    ? selectIntegrationResponse(integration.integrationResponses, selector ?? '')
    : selectIntegrationResponse(integration.integrationResponses, undefined);
  return applyIntegrationResponse(ctx, selected, endpoint);
}

function errorMessageOf(payload: Buffer): string {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof v.errorMessage === 'string' ? v.errorMessage : '';
  } catch {
    return payload.toString('utf8');
  }
}
