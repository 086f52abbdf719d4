// Retry and Catch of Task, Parallel and Map states: the first retrier whose ErrorEquals names the
// error (or States.ALL, or States.TaskFailed for any error but States.Timeout) retries it with
// backoff until its MaxAttempts; then the first matching catcher sends the error on to its Next.
// States.Runtime is never retried or caught, as on AWS.
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { applyResultPath } from './payload.js';
import type { RunDeps, StateDef } from './run-deps.js';

interface Retrier { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number }
interface Catcher { ErrorEquals: string[]; Next: string; ResultPath?: string | null }

export function errorMatches(names: string[], error: string): boolean {
  if (error === 'States.Runtime') return false;
  return names.some((n) => n === error || n === 'States.ALL' || (n === 'States.TaskFailed' && error !== 'States.Timeout'));
}

/** The delay before retry number `attempt` (0-based) of a retrier, in ms. */
export function retryDelayMs(r: Retrier, attempt: number): number {
  const seconds = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** attempt;
  return Math.min(seconds, r.MaxDelaySeconds ?? Infinity) * 1000;
}

export interface Outcome {
  output: Json;
  next?: string;
}

/** Runs `attempt` under the state's Retry and Catch; `succeed` turns its result into the state's outcome. */
export async function withRetries(state: StateDef, name: string, input: Json, deps: RunDeps, attempt: (retryCount: number) => Promise<Json>, succeed: (result: Json) => Outcome): Promise<Outcome> {
  const retriers = (state.Retry ?? []) as unknown as Retrier[];
  const catchers = (state.Catch ?? []) as unknown as Catcher[];
  const counts = retriers.map(() => 0);
  let retries = 0;
  for (;;) {
    let result: Json;
    try {
      result = await attempt(retries);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      const i = retriers.findIndex((r) => errorMatches(r.ErrorEquals, e.error));
      if (i >= 0 && counts[i] < (retriers[i].MaxAttempts ?? 3)) {
        await deps.sleep(retryDelayMs(retriers[i], counts[i]), deps.signal);
        counts[i]++;
        retries++;
        continue;
      }
      const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, e.error));
      if (!catcher) throw e;
      const error: Json = { Error: e.error, Cause: e.cause };
      return { output: applyResultPath(catcher.ResultPath === undefined ? '$' : catcher.ResultPath, input, error, name), next: catcher.Next };
    }
    return succeed(result);
  }
}
