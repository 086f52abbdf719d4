// Task states that call Lambda, on the in-process invoke pipeline. Two resource forms:
// `arn:aws:states:::lambda:invoke` (parameters FunctionName, Payload, Qualifier…; the result is
// Invoke's response) and a bare function ARN (the input is the payload; the result is the function's
// own). Step Functions calls as the state machine's role: the role's IAM policy is not evaluated
// here, and no resource policy is consulted (an IAM caller's invoke is decided by its own policy).
import { isAwsError } from '../core/errors.js';
import type { Invoker } from '../lambda/invoke.js';
import { parseFunctionArn } from '../lambda/service-invoke.js';
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

export interface LambdaCall {
  /** The task's resource as the definition gives it. */
  resource: string;
  /** The effective input (Parameters resolved). */
  input: Json;
  accountId: string;
  region: string;
}

/** What history events name the task by: `lambda` / `invoke` for the integration; the ARN for the legacy form. */
export const isLegacyLambda = (resource: string): boolean => parseFunctionArn(resource) !== undefined;
export const isLambdaResource = (resource: string): boolean => resource === LAMBDA_INVOKE || isLegacyLambda(resource);

function functionRef(name: string, qualifier: string | undefined, accountId: string, region: string) {
  const arn = parseFunctionArn(name);
  if (arn) return { accountId: arn.accountId, region: arn.region, name: arn.name, qualifier: arn.qualifier ?? qualifier };
  const [bare, q] = name.split(':');
  return { accountId, region, name: bare, qualifier: q ?? qualifier };
}

function parsePayload(payload: Buffer | undefined): Json {
  if (!payload || payload.length === 0) return null;
  try {
    return JSON.parse(payload.toString('utf8')) as Json;
  } catch {
    return payload.toString('utf8');
  }
}

/** Runs the task's function; a function error or a refused invoke becomes the StatesError AWS raises. */
export async function callLambda(invoker: Pick<Invoker, 'invoke'>, call: LambdaCall): Promise<Json> {
  const integration = call.resource === LAMBDA_INVOKE;
  const params = (integration ? call.input : {}) as Record<string, Json>;
  if (integration && (params === null || typeof params !== 'object' || typeof params.FunctionName !== 'string')) {
    throw new StatesError('States.Runtime', "The field 'FunctionName' is required for resource arn:aws:states:::lambda:invoke");
  }
  const name = integration ? (params.FunctionName as string) : call.resource;
  const ref = functionRef(name, integration && typeof params.Qualifier === 'string' ? params.Qualifier : undefined, call.accountId, call.region);
  const payloadValue = integration ? params.Payload : call.input;
  const payload = Buffer.from(payloadValue === undefined ? '{}' : JSON.stringify(payloadValue));
  // The integration may ask for an asynchronous invoke (InvocationType Event): its result is the 202 answer.
  const invocationType = integration && params.InvocationType === 'Event' ? 'Event' : 'RequestResponse';
  const clientContext = integration && typeof params.ClientContext === 'string' ? params.ClientContext : undefined;
  let outcome;
  try {
    outcome = await invoker.invoke({ ref, payload, invocationType, payloadIsJson: true, ...(clientContext ? { clientContext } : {}) });
  } catch (e) {
    if (isAwsError(e)) throw new StatesError(`Lambda.${e.code}`, `${e.message} (Service: Lambda, Status Code: ${e.status}, Error Code: ${e.code})`);
    throw new StatesError('Lambda.Unknown', e instanceof Error ? e.message : String(e));
  }
  const result = parsePayload(outcome.payload);
  if (outcome.functionError) {
    const errorType = result !== null && typeof result === 'object' && !Array.isArray(result) && typeof result.errorType === 'string' ? result.errorType : 'Lambda.Unknown';
    throw new StatesError(errorType, outcome.payload?.toString('utf8') ?? '');
  }
  if (!integration) return result;
  return {
    ExecutedVersion: outcome.executedVersion ?? '$LATEST',
    Payload: result,
    SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': outcome.executedVersion ?? '$LATEST', 'x-amzn-RequestId': outcome.requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: outcome.requestId },
    StatusCode: outcome.statusCode,
  };
}
