// What the interpreter's pieces share while an execution runs, and the types of a parsed definition.
import type { Invoker } from '../lambda/invoke.js';
import type { History } from './history.js';
import type { Json } from './jsonpath.js';

export type StateDef = Record<string, Json> & { Type: string };
export interface MachineDef {
  StartAt: string;
  States: Record<string, StateDef>;
}

export interface RunDeps {
  history: History;
  invoker: Pick<Invoker, 'invoke'>;
  accountId: string;
  region: string;
  /** Aborted when the execution is stopped (or its node shuts down). */
  signal: AbortSignal;
  now(): number;
  /** Waits `ms` of execution time (tests run a scaled clock); rejects with `Aborted` when the signal fires. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** The context object's Execution and StateMachine members (`$$`). */
  context: Record<string, Json>;
  /** Top level only: the execution enters a state (the runner checkpoints it). */
  onEnter?(state: string, input: Json): Promise<void>;
  /** Top level only: a Wait state waits until `untilMs` (the runner checkpoints it). */
  onWait?(state: string, input: Json, untilMs: number): Promise<void>;
  /** On resume: the deadline of the Wait state the execution was in. */
  resumeWaitUntil?: number;
}

/** The execution was stopped: nothing more is recorded. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
  }
}

export const text = (v: Json): string => JSON.stringify(v);
export const untruncated = { truncated: false };

/** Sleeps on a real or scaled clock, ending early (with Aborted) when the signal fires. */
export function sleeper(scale = 1): (ms: number, signal: AbortSignal) => Promise<void> {
  return (ms, signal) => new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms / scale));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `work` unless the signal fires first (its result is then dropped). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
