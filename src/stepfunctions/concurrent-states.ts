// Parallel and Map states: branches (or items) run at once as machines of their own, with their
// events in the execution's history; the first failure stops the others and fails the state with
// the branch's error. MaxConcurrency bounds a Map's iterations at once (0: no bound).
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { applyPath, resolveTemplate } from './payload.js';
import { Aborted, type MachineDef, type RunDeps, type StateDef } from './run-deps.js';

type RunMachine = (machine: MachineDef, input: Json, deps: RunDeps) => Promise<Json>;

/** Runs `jobs` with at most `limit` at once; the first failure aborts the rest and is thrown. */
async function allOrFirstFailure(count: number, limit: number, deps: RunDeps, job: (i: number, child: RunDeps) => Promise<Json>): Promise<Json[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  deps.signal.addEventListener('abort', onAbort, { once: true });
  // Branches are not the top level: they checkpoint nothing.
  const child: RunDeps = { ...deps, signal: controller.signal, onEnter: undefined, onWait: undefined, resumeWaitUntil: undefined };
  const results: Json[] = new Array<Json>(count).fill(null);
  let nextIndex = 0;
  let failure: unknown;
  const worker = async () => {
    while (nextIndex < count && failure === undefined) {
      const i = nextIndex++;
      try {
        results[i] = await job(i, child);
      } catch (e) {
        if (failure === undefined && !(e instanceof Aborted && !deps.signal.aborted)) failure = e;
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(count, limit > 0 ? limit : count) }, worker));
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  if (deps.signal.aborted) throw new Aborted();
  return results;
}

export async function runParallel(state: StateDef, input: Json, deps: RunDeps, run: RunMachine): Promise<Json> {
  const branches = state.Branches as unknown as MachineDef[];
  deps.history.add('ParallelStateStarted');
  try {
    const results = await allOrFirstFailure(branches.length, 0, deps, (i, child) => run(branches[i], input, child));
    deps.history.add('ParallelStateSucceeded');
    return results;
  } catch (e) {
    if (e instanceof StatesError) deps.history.add('ParallelStateFailed');
    throw e;
  }
}

export async function runMap(name: string, state: StateDef, input: Json, context: Json, deps: RunDeps, run: RunMachine): Promise<Json> {
  const items = applyPath(state.ItemsPath as string | undefined, input, context, name);
  if (!Array.isArray(items)) throw new StatesError('States.Runtime', `An error occurred while executing the state '${name}'. Items of the Map state must be an array: ${JSON.stringify(items)}`);
  const processor = (state.ItemProcessor ?? state.Iterator) as unknown as MachineDef;
  const selector = state.ItemSelector ?? state.Parameters;
  const limit = typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : 0;
  deps.history.add('MapStateStarted', { length: items.length });
  try {
    const results = await allOrFirstFailure(items.length, limit, deps, async (index, child) => {
      const itemContext = { ...(context as Record<string, Json>), Map: { Item: { Index: index, Value: items[index] } } };
      const itemInput = selector === undefined ? items[index] : resolveTemplate(selector, input, itemContext);
      deps.history.add('MapIterationStarted', { name, index });
      try {
        const out = await run(processor, itemInput, child);
        deps.history.add('MapIterationSucceeded', { name, index });
        return out;
      } catch (e) {
        deps.history.add(e instanceof Aborted ? 'MapIterationAborted' : 'MapIterationFailed', { name, index });
        throw e;
      }
    });
    deps.history.add('MapStateSucceeded');
    return results;
  } catch (e) {
    if (e instanceof StatesError) deps.history.add('MapStateFailed');
    throw e;
  }
}
