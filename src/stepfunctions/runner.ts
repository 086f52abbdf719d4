// Runs executions on this node and keeps them durable: each top-level state entered (and each Wait's
// deadline) is checkpointed on the execution's row, which this node holds by a lease it renews. After
// a restart, or when another node's lease runs out, RUNNING executions are claimed and resume from
// their checkpoint: the state they were in is entered again (a Wait with its remaining time; a Task
// in flight is run again, so its function may run twice).
import type { Invoker } from '../lambda/invoke.js';
import type { SfnStore, StoredExecution, StoredStateMachine } from '../store/stepfunctions-store.js';
import { History } from './history.js';
import { runMachine } from './interpreter.js';
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { Aborted, sleeper, text, untruncated, type MachineDef, type RunDeps } from './run-deps.js';

export interface RunnerOptions {
  nodeId: string;
  now: () => number;
  /** Execution time runs `scale` times faster (Wait states, retry intervals, timeouts; tests). */
  scale?: number;
  leaseMs?: number;
  /** How often to renew leases and look for executions to resume. */
  pollMs?: number;
}

interface Checkpoint {
  state: string;
  input: Json;
  waitUntilMs?: number;
}

interface Run {
  controller: AbortController;
  history: History;
  done: Promise<void>;
}

export class ExecutionRunner {
  readonly #running = new Map<string, Run>();
  readonly #sleep: RunDeps['sleep'];
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly store: SfnStore, private readonly invoker: () => Pick<Invoker, 'invoke'>, private readonly options: RunnerOptions) {
    this.#sleep = sleeper(options.scale);
    this.#leaseMs = options.leaseMs ?? 30_000;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** The lease an execution this node starts is created with. */
  leaseUntil(): number {
    return this.options.now() + this.#leaseMs;
  }

  start(): void {
    const tick = () => void this.#poll().catch(() => undefined);
    tick();
    this.#timer = setInterval(tick, this.options.pollMs ?? Math.floor(this.#leaseMs / 3));
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    await this.store.renewLeases(this.options.nodeId, this.leaseUntil());
    const claimed = await this.store.claimRunning(this.options.nodeId, this.options.now(), this.leaseUntil());
    for (const execution of claimed) {
      if (this.#running.has(execution.arn) || this.#closed) continue;
      const events = await this.store.history(execution.arn);
      const lastId = events.length ? events[events.length - 1].id : 0;
      const checkpoint = execution.checkpoint ? (JSON.parse(execution.checkpoint) as Checkpoint) : undefined;
      const machine = await this.store.getStateMachine(execution.stateMachineArn);
      if (machine) this.launch(machine, execution, { lastId, checkpoint });
    }
  }

  /** Runs an execution (new, or resumed from its checkpoint) until it ends, is stopped, or the node closes. */
  launch(machine: StoredStateMachine, execution: StoredExecution, resume?: { lastId: number; checkpoint?: Checkpoint }): void {
    const { now } = this.options;
    const controller = new AbortController();
    const history = new History(this.store, execution.arn, now, resume?.lastId ?? 0);
    const def = JSON.parse(machine.definition) as MachineDef & { TimeoutSeconds?: number };
    const input = JSON.parse(execution.input) as Json;
    if (!resume || resume.lastId === 0) {
      history.add('ExecutionStarted', { input: execution.input, inputDetails: untruncated, roleArn: machine.roleArn });
    }
    const checkpointing = async (checkpoint: Checkpoint) => {
      await history.flush();
      // Stopped meanwhile (on another node, too): this run ends here.
      if (!(await this.store.updateExecution({ ...execution, checkpoint: JSON.stringify(checkpoint) }))) throw new Aborted();
    };
    const deps: RunDeps = {
      history, invoker: this.invoker(), accountId: machine.accountId, region: machine.region, signal: controller.signal, now, sleep: this.#sleep,
      context: {
        Execution: { Id: execution.arn, Input: input, Name: execution.name, RoleArn: machine.roleArn, StartTime: new Date(execution.startMs).toISOString(), RedriveCount: 0 },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
      onEnter: (state, value) => checkpointing({ state, input: value }),
      onWait: (state, value, untilMs) => checkpointing({ state, input: value, waitUntilMs: untilMs }),
      ...(resume?.checkpoint?.waitUntilMs !== undefined ? { resumeWaitUntil: resume.checkpoint.waitUntilMs } : {}),
    };
    let timedOut = false;
    const deadline = typeof def.TimeoutSeconds === 'number'
      ? setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, Math.max(0, (execution.startMs + def.TimeoutSeconds * 1000 - now()) / (this.options.scale ?? 1)))
      : undefined;
    const start = resume?.checkpoint;
    const run = async () => {
      try {
        const output = await runMachine(def, start ? start.input : input, deps, start?.state);
        history.add('ExecutionSucceeded', { output: text(output), outputDetails: untruncated });
        await this.#finish(execution, history, { status: 'SUCCEEDED', output: text(output) });
      } catch (e) {
        if (timedOut) {
          history.add('ExecutionTimedOut', {});
          await this.#finish(execution, history, { status: 'TIMED_OUT' });
          return;
        }
        if (e instanceof Aborted) return;
        const failure = e instanceof StatesError ? e : new StatesError('States.Runtime', e instanceof Error ? e.message : String(e));
        const fields = { ...(failure.error ? { error: failure.error } : {}), ...(failure.cause ? { cause: failure.cause } : {}) };
        history.add('ExecutionFailed', fields);
        await this.#finish(execution, history, { status: 'FAILED', ...fields });
      } finally {
        clearTimeout(deadline);
        this.#running.delete(execution.arn);
      }
    };
    this.#running.set(execution.arn, { controller, history, done: run().catch(() => undefined) });
  }

  async #finish(execution: StoredExecution, history: History, end: Pick<StoredExecution, 'status' | 'output' | 'error' | 'cause'>): Promise<void> {
    await history.flush();
    const { checkpoint: _checkpoint, ...rest } = execution;
    // Left as it is when it was stopped meanwhile.
    await this.store.updateExecution({ ...rest, ...end, stopMs: this.options.now() });
  }

  /**
   * Stops an execution (ABORTED), wherever it runs: a run on another node sees it at its next state.
   * Answers when it stopped; an execution that ended meanwhile is left as it ended.
   */
  async stop(execution: StoredExecution, error?: string, cause?: string): Promise<number> {
    const stopMs = this.options.now();
    const details = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    const run = this.#running.get(execution.arn);
    run?.controller.abort();
    const { checkpoint: _checkpoint, ...rest } = execution;
    if (!(await this.store.updateExecution({ ...rest, status: 'ABORTED', stopMs, ...details }))) {
      return (await this.store.getExecution(execution.arn))?.stopMs ?? stopMs;
    }
    let history = run?.history;
    if (!history) {
      const events = await this.store.history(execution.arn);
      history = new History(this.store, execution.arn, this.options.now, events.length ? events[events.length - 1].id : 0);
    }
    history.add('ExecutionAborted', details);
    history.seal();
    await history.flush();
    return stopMs;
  }

  /** Stops running here (the executions stay RUNNING in the store) and lets go of their leases. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    const runs = [...this.#running.values()];
    for (const run of runs) {
      run.history.seal();
      run.controller.abort();
    }
    await Promise.all(runs.map((r) => r.done));
    await Promise.all(runs.map((r) => r.history.flush().catch(() => undefined)));
    await this.store.releaseLeases(this.options.nodeId);
  }
}
