// A Task state's one attempt: its events (TaskScheduled/Started/Succeeded/Failed/TimedOut for the
// lambda:invoke integration, LambdaFunction* for a bare function ARN), TimeoutSeconds (States.Timeout)
// and the Lambda call itself. Other resources are not run here: they fail with States.Runtime.
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { callLambda, isLambdaResource, isLegacyLambda } from './lambda-task.js';
import { Aborted, text, unlessAborted, untruncated, type RunDeps, type StateDef } from './run-deps.js';

async function withTimeout<T>(work: Promise<T>, seconds: number | undefined, deps: RunDeps): Promise<T> {
  if (seconds === undefined) return unlessAborted(work, deps.signal);
  const timer = new AbortController();
  const onAbort = () => timer.abort();
  deps.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([
      unlessAborted(work, deps.signal),
      deps.sleep(seconds * 1000, timer.signal).then(() => { throw new StatesError('States.Timeout', ''); }),
    ]);
  } catch (e) {
    if (e instanceof Aborted && !deps.signal.aborted) throw new StatesError('States.Timeout', '');
    throw e;
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
    timer.abort();
  }
}

export async function runTask(state: StateDef, input: Json, deps: RunDeps): Promise<Json> {
  const resource = state.Resource as string;
  const legacy = isLegacyLambda(resource);
  const timeout = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  const kind = { resourceType: 'lambda', resource: 'invoke' };
  if (legacy) {
    deps.history.add('LambdaFunctionScheduled', { resource, input: text(input), inputDetails: untruncated, ...(timeout !== undefined ? { timeoutInSeconds: timeout } : {}) });
    deps.history.add('LambdaFunctionStarted');
  } else {
    const [resourceType, ...rest] = resource.replace(/^arn:aws:states:::/, '').split(':');
    Object.assign(kind, { resourceType, resource: rest.join(':') });
    deps.history.add('TaskScheduled', { ...kind, region: deps.region, parameters: text(input), ...(timeout !== undefined ? { timeoutInSeconds: timeout } : {}) });
    deps.history.add('TaskStarted', kind);
  }
  try {
    if (!isLambdaResource(resource)) throw new StatesError('States.Runtime', `Stagecraft does not run the resource '${resource}': only Lambda tasks run`);
    const result = await withTimeout(callLambda(deps.invoker, { resource, input, accountId: deps.accountId, region: deps.region }), timeout, deps);
    if (legacy) deps.history.add('LambdaFunctionSucceeded', { output: text(result), outputDetails: untruncated });
    else deps.history.add('TaskSucceeded', { ...kind, output: text(result), outputDetails: untruncated });
    return result;
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    const failure = { error: e.error, cause: e.cause };
    const timedOut = e.error === 'States.Timeout';
    if (legacy) deps.history.add(timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', failure);
    else deps.history.add(timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...kind, ...failure });
    throw e;
  }
}
