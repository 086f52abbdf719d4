// Runs a state machine (or a Parallel branch, or a Map iteration) state by state: each state's
// Entered/Exited events, its input and output processing, and its work. A failure is a StatesError
// that leaves the machine when no Catch takes it; a stop is `Aborted`.
import { select, type Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { applyPath, effectiveInput, stateOutput } from './payload.js';
import { evaluateRule, type ChoiceRule } from './choice.js';
import { withRetries, type Outcome } from './retry.js';
import { runTask } from './task-state.js';
import { runMap, runParallel } from './concurrent-states.js';
import { Aborted, text, untruncated, type MachineDef, type RunDeps, type StateDef } from './run-deps.js';

/** Runs `machine` from `startAt` (its StartAt by default) to its end; returns its output. */
export async function runMachine(machine: MachineDef, input: Json, deps: RunDeps, startAt = machine.StartAt): Promise<Json> {
  let name = startAt;
  let value = input;
  for (;;) {
    if (deps.signal.aborted) throw new Aborted();
    const state = machine.States[name];
    await deps.onEnter?.(name, value);
    const outcome = await runState(name, state, value, deps);
    if (outcome.next === undefined) return outcome.output;
    name = outcome.next;
    value = outcome.output;
  }
}

function contextFor(deps: RunDeps, name: string, retryCount = 0): Json {
  return { ...deps.context, State: { Name: name, EnteredTime: new Date(deps.now()).toISOString(), RetryCount: retryCount } };
}

const next = (state: StateDef): string | undefined => (state.End === true ? undefined : (state.Next as string));

async function runState(name: string, state: StateDef, input: Json, deps: RunDeps): Promise<Outcome> {
  const type = state.Type;
  deps.history.add(`${type}StateEntered`, { name, input: text(input), inputDetails: untruncated });
  const outcome = await work(name, state, input, deps);
  if (type !== 'Fail') deps.history.add(`${type}StateExited`, { name, output: text(outcome.output), outputDetails: untruncated });
  return outcome;
}

async function work(name: string, state: StateDef, input: Json, deps: RunDeps): Promise<Outcome> {
  const context = contextFor(deps, name);
  switch (state.Type) {
    case 'Pass': {
      const eff = effectiveInput(state, input, context, name);
      const result = state.Result !== undefined ? state.Result : eff;
      return { output: stateOutput({ ResultPath: state.ResultPath as string | null | undefined, OutputPath: state.OutputPath as string | null | undefined }, input, result, context, name), next: next(state) };
    }
    case 'Succeed':
      return { output: applyPath(state.OutputPath as string | null | undefined, applyPath(state.InputPath as string | null | undefined, input, context, name), context, name) };
    case 'Fail': {
      const error = typeof state.ErrorPath === 'string' ? select(state.ErrorPath, input, context) : state.Error;
      const cause = typeof state.CausePath === 'string' ? select(state.CausePath, input, context) : state.Cause;
      throw new StatesError(typeof error === 'string' ? error : '', typeof cause === 'string' ? cause : '');
    }
    case 'Choice': {
      const eff = applyPath(state.InputPath as string | null | undefined, input, context, name);
      const rule = (state.Choices as ChoiceRule[]).find((r) => evaluateRule(r, eff, context));
      const target = rule ? (rule.Next as string) : (state.Default as string | undefined);
      if (target === undefined) throw new StatesError('States.NoChoiceMatched', `No Matches!`);
      return { output: applyPath(state.OutputPath as string | null | undefined, eff, context, name), next: target };
    }
    case 'Wait':
      return runWait(name, state, input, context, deps);
    case 'Task':
      return withRetries(state, name, input, deps, (retryCount) => {
        const ctx = contextFor(deps, name, retryCount);
        return runTask(state, effectiveInput(state, input, ctx, name), deps);
      }, (result) => ({ output: stateOutput(state, input, result, context, name), next: next(state) }));
    case 'Parallel':
      return withRetries(state, name, input, deps, () => runParallel(state, effectiveInput(state, input, context, name), deps, runMachine),
        (result) => ({ output: stateOutput(state, input, result, context, name), next: next(state) }));
    case 'Map': {
      const processing = { ...state, Parameters: undefined };
      return withRetries(state, name, input, deps, () => runMap(name, state, effectiveInput(processing, input, context, name), context, deps, runMachine),
        (result) => ({ output: stateOutput(state, input, result, context, name), next: next(state) }));
    }
    default:
      throw new StatesError('States.Runtime', `Unsupported state type ${state.Type}`);
  }
}

async function runWait(name: string, state: StateDef, input: Json, context: Json, deps: RunDeps): Promise<Outcome> {
  const eff = applyPath(state.InputPath as string | null | undefined, input, context, name);
  let until: number;
  const fromPath = (path: string): Json => {
    const v = select(path, eff, context);
    if (v === undefined) throw new StatesError('States.Runtime', `An error occurred while executing the state '${name}'. Invalid path '${path}': The path references an invalid value.`);
    return v;
  };
  const seconds = state.SecondsPath !== undefined ? fromPath(state.SecondsPath as string) : state.Seconds;
  const timestamp = state.TimestampPath !== undefined ? fromPath(state.TimestampPath as string) : state.Timestamp;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || seconds < 0) throw new StatesError('States.Runtime', `An error occurred while executing the state '${name}'. The SecondsPath parameter does not reference a valid value: ${text(seconds)}`);
    until = deps.now() + seconds * 1000;
  } else {
    const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(ms)) throw new StatesError('States.Runtime', `An error occurred while executing the state '${name}'. The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${text(timestamp ?? null)}`);
    until = ms;
  }
  if (deps.resumeWaitUntil !== undefined) {
    until = deps.resumeWaitUntil;
    deps.resumeWaitUntil = undefined;
  }
  await deps.onWait?.(name, input, until);
  await deps.sleep(until - deps.now(), deps.signal);
  return { output: applyPath(state.OutputPath as string | null | undefined, eff, context, name), next: next(state) };
}

