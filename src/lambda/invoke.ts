// The one invoke pipeline, shared by the Invoke API, API Gateway and async events:
// qualifier → alias weights → resource policy (service callers) → concurrency lease →
// an execution environment → result, logs. An Event invocation is checked here, then persisted
// in the asynchronous queue (src/lambda/async-queue.ts), whose workers run it through `runQueued`.
import { awsError } from '../core/errors.js';
import { newRequestId } from '../core/ids.js';
import type { StoredConfig } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import type { AsyncEvent } from '../store/async-queue-store.js';
import type { AcceptedEvent } from './async-queue.js';
import { functionSpec } from './function-spec.js';
import { functionNotFound } from './errors.js';
import { arnOf, type FunctionRef } from './names.js';
import { isAllowed } from './policy.js';
import { resolveQualifier, type Resolved } from './qualifiers.js';
import { runtimeFamily } from './runtimes.js';
import type { InvokeResult, ResponseStreamSink } from '../runtime/types.js';
import type { InvocationCells, LambdaMetricsRecorder } from '../cloudwatch/lambda-metrics.js';
import type { ConcurrencyTracker } from './concurrency-tracker.js';

export const SYNC_PAYLOAD_LIMIT = 6_291_456;
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;
const TAIL_BYTES = 4096;

export interface ServiceCaller {
  /** e.g. apigateway.amazonaws.com; '*' for an anonymous function URL caller. */
  principal: string;
  /** The action the resource policy must allow (default lambda:InvokeFunction). */
  action?: 'lambda:InvokeFunction' | 'lambda:InvokeFunctionUrl';
  sourceArn?: string;
  sourceAccount?: string;
  /** For function URL callers: the URL's auth type (condition key lambda:FunctionUrlAuthType). */
  functionUrlAuthType?: string;
}

export interface InvokeInput {
  ref: FunctionRef;
  payload: Buffer;
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  logType?: 'None' | 'Tail';
  clientContext?: string;
  /** Set when a service (not an IAM user) invokes: its permission comes from the resource policy. */
  caller?: ServiceCaller;
  /** Caller-side deadline in ms (API Gateway's integration timeout). */
  deadlineMs?: number;
  /** The caller serialised the payload itself (API Gateway's proxy event): skip re-parsing it. */
  payloadIsJson?: boolean;
  requestId?: string;
  /** Takes a streaming handler's response as it is written (RequestResponse only; see InvokeRequest.stream). */
  stream?: InvokeStream;
}

export interface InvokeStream extends ResponseStreamSink {
  /** The version that runs, once chosen (before any chunk). */
  begin?(executedVersion: string): void;
}

export interface InvokeOutcome {
  statusCode: 200 | 202 | 204;
  requestId: string;
  executedVersion?: string;
  functionError?: string;
  payload?: Buffer;
  logResult?: string;
}

/** Thrown when a service principal lacks permission; API Gateway turns it into a 500 and a log line. */
export class InvokePermissionError extends Error {}

export { environmentKeyPrefix } from './function-spec.js';

function pickVersion(resolved: Resolved): string {
  const weights = resolved.alias?.RoutingConfig?.AdditionalVersionWeights;
  if (weights) {
    let r = Math.random();
    for (const [version, weight] of Object.entries(weights)) {
      if (r < weight) return version;
      r -= weight;
    }
  }
  return resolved.version;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload must be JSON in UTF-8: bytes that are not UTF-8 are refused, not replaced (the wording for them is Stagecraft's). */
function checkPayload(payload: Buffer): void {
  if (payload.length === 0) return;
  let text: string;
  try {
    text = strictUtf8.decode(payload);
  } catch {
    throw awsError('InvalidRequestContentException', 'Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 in the payload');
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw awsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`);
  }
}

/** AWS refuses a ClientContext that is not base64 of a JSON object (else the function would silently get none). */
function checkClientContext(clientContext: string | undefined): void {
  if (clientContext === undefined || clientContext === '') return;
  let value: unknown;
  try {
    // Padding may be left off, as AWS's decoder allows.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clientContext) || clientContext.length % 4 === 1) throw new Error('not base64');
    value = JSON.parse(strictUtf8.decode(Buffer.from(clientContext, 'base64')));
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw awsError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.');
  }
}

/** Where accepted Event invocations go: the durable queue. */
export interface EventSink {
  enqueue(event: AcceptedEvent): Promise<boolean>;
}

export class Invoker {
  constructor(private readonly deps: LambdaDeps, private readonly events: EventSink) {}

  async invoke(input: InvokeInput): Promise<InvokeOutcome> {
    const { deps } = this;
    const requestId = input.requestId ?? newRequestId();
    const resolved = await resolveQualifier(deps, input.ref, '$LATEST');
    if (input.caller) await this.#authorize(input.ref, input.caller);
    const type = input.invocationType ?? 'RequestResponse';
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (input.payload.length > limit) {
      throw awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
    }
    if (!input.payloadIsJson) checkPayload(input.payload);
    checkClientContext(input.clientContext);
    if (type === 'DryRun') return { statusCode: 204, requestId };
    if (type === 'Event') {
      const { accountId, region, name, qualifier } = input.ref;
      // Written to the queue before the 202: from here on a crash cannot lose it.
      if (!(await this.events.enqueue({ accountId, region, name, qualifier, requestId, payload: input.payload, clientContext: input.clientContext }))) {
        throw functionNotFound(arnOf(input.ref, qualifier));
      }
      return { statusCode: 202, requestId };
    }
    const version = pickVersion(resolved);
    const config = version === resolved.version ? resolved.config : await deps.cache.getVersion(input.ref, version);
    if (!config) throw functionNotFound(arnOf(input.ref, version));
    return this.#run(input, resolved, config, version, requestId);
  }

  /** One attempt of a queued Event invocation; its permission was checked when it was accepted. */
  runQueued(event: AsyncEvent): Promise<InvokeOutcome> {
    const { accountId, region, name, qualifier } = event;
    return this.invoke({
      ref: { accountId, region, name, qualifier },
      payload: event.payload,
      invocationType: 'RequestResponse',
      clientContext: event.clientContext,
      requestId: event.requestId,
      payloadIsJson: true,
    });
  }

  async #authorize(ref: FunctionRef, caller: ServiceCaller): Promise<void> {
    const q = ref.qualifier === undefined || ref.qualifier === '$LATEST' ? '' : ref.qualifier;
    const policy = await this.deps.cache.getPolicy(ref, q);
    const action = caller.action ?? 'lambda:InvokeFunction';
    if (!isAllowed(policy, { principal: caller.principal, action, sourceArn: caller.sourceArn, sourceAccount: caller.sourceAccount, functionUrlAuthType: caller.functionUrlAuthType })) {
      throw new InvokePermissionError(`${caller.principal} is not authorized to perform: ${action} on resource: ${arnOf(ref, ref.qualifier)} because no resource-based policy allows it${caller.sourceArn ? ` for source ${caller.sourceArn}` : ''}`);
    }
  }

  async #run(input: InvokeInput, resolved: Resolved, config: StoredConfig, version: string, requestId: string): Promise<InvokeOutcome> {
    const { deps } = this;
    const ref = input.ref;
    if (!config.Runtime || !runtimeFamily(config.Runtime)) {
      throw awsError('InvalidRuntimeException', `The runtime ${config.Runtime ?? '(none)'} is not supported by Stagecraft. Use a nodejs*, python3.*, ruby3.*, java* or provided* runtime.`);
    }
    const accountKey = `${ref.accountId}:${ref.region}`;
    const functionKey = `${accountKey}:${ref.name}`;
    let lease;
    try {
      const taken = deps.concurrency.acquire(accountKey, functionKey, resolved.fn.reservedConcurrency, (config.Timeout ?? 3) * 1000);
      // Only a function with reserved concurrency in a cluster waits for its slot.
      lease = taken instanceof Promise ? await taken : taken;
    } catch (e) {
      deps.metrics?.invocation(ref.name, 'throttled');
      deps.cloudWatch?.throttle(ref);
      throw e;
    }
    // Counts the invocation in its version's or alias's ConcurrentExecutions until it ends.
    const cells = deps.cloudWatch?.started(ref, version);
    try {
      const spec = await functionSpec(deps, ref, config, version);
      input.stream?.begin?.(version);
      const result = await deps.executor.invoke(spec, {
        requestId,
        payload: input.payload.length ? input.payload : Buffer.from('{}'),
        invokedFunctionArn: arnOf(ref, ref.qualifier),
        clientContext: input.clientContext,
        deadlineMs: input.deadlineMs,
        stream: input.stream,
      });
      const append = (lines: string[]): void => deps.logs.append(ref.accountId, ref.region, spec.logGroupName, result.logStreamName, lines);
      if (result.finalLogLines) void result.finalLogLines.then(append);
      else append(result.logLines);
      deps.metrics?.invocation(ref.name, result.functionError ? 'function_error' : 'success', result.durationMs, result.initDurationMs !== undefined);
      if (cells) recordMetrics(deps.cloudWatch!, cells, deps.concurrency, accountKey, functionKey, result);
      const outcome: InvokeOutcome = { statusCode: 200, requestId, executedVersion: version, payload: result.payload, functionError: result.functionError };
      if (input.logType === 'Tail') outcome.logResult = tail(result.logLines);
      return outcome;
    } finally {
      if (cells) deps.cloudWatch!.ended(cells);
      // A cluster-wide slot is back in the database before the caller is answered.
      const released = lease.release();
      if (released) await released;
    }
  }
}

/** The invocation's AWS/Lambda metrics; the concurrency samples are taken while its lease is still held. */
function recordMetrics(cloudWatch: LambdaMetricsRecorder, cells: InvocationCells, concurrency: ConcurrencyTracker, accountKey: string, functionKey: string, result: InvokeResult): void {
  const inFlight = { account: concurrency.accountRunning(accountKey), function: concurrency.running(functionKey), unreserved: concurrency.unreservedRunning(accountKey), claimed: concurrency.claimed(accountKey) };
  cloudWatch.invocation(cells, result.functionError !== undefined, result.durationMs, inFlight);
  if (result.provisioned) cloudWatch.provisioned(cells, result.provisioned);
  if (result.postRuntimeDurationMs) void result.postRuntimeDurationMs.then((ms) => cloudWatch.postRuntimeExtensions(cells, ms));
}

/** The last 4 KB of an invocation's log, base64, as X-Amz-Log-Result carries it. */
function tail(lines: string[]): string {
  const text = Buffer.from(lines.map((l) => (l.endsWith('\n') ? l : l + '\n')).join(''));
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
}
