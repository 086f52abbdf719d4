// An execution's history as it is written: events get ids in order (previousEventId is the event
// before, a simplification of AWS's causal links), are kept in memory and written to the store in
// order; `flush` waits for what has been written so far.
import type { SfnStore, StoredHistoryEvent } from '../store/stepfunctions-store.js';

export class History {
  #nextId: number;
  #writes: Promise<void> = Promise.resolve();
  #failed: unknown;
  #sealed = false;

  constructor(private readonly store: SfnStore, private readonly executionArn: string, private readonly now: () => number, lastId = 0) {
    this.#nextId = lastId + 1;
  }

  /** Records an event; its details go in the member named after its type (see `detailsKey`). */
  add(type: string, details?: Record<string, unknown>): number {
    if (this.#sealed) return this.#nextId - 1;
    const id = this.#nextId++;
    const key = detailsKey(type);
    const event: StoredHistoryEvent = { id, previousEventId: id - 1, timestampMs: this.now(), type, ...(details && key ? { details: { [key]: details } } : {}) };
    this.#writes = this.#writes.then(() => this.store.appendHistory(this.executionArn, [event])).catch((e: unknown) => {
      this.#failed = e;
    });
    return id;
  }

  /** Takes no more events (a stopped execution's last one is ExecutionAborted). */
  seal(): void {
    this.#sealed = true;
  }

  async flush(): Promise<void> {
    await this.#writes;
    if (this.#failed) throw this.#failed;
  }
}

/** The HistoryEvent member that carries an event type's details (AWS's names). */
export function detailsKey(type: string): string | undefined {
  if (/StateEntered$/.test(type)) return 'stateEnteredEventDetails';
  if (/StateExited$/.test(type)) return 'stateExitedEventDetails';
  const special: Record<string, string> = {
    MapStateStarted: 'mapStateStartedEventDetails',
    MapIterationStarted: 'mapIterationStartedEventDetails',
    MapIterationSucceeded: 'mapIterationSucceededEventDetails',
    MapIterationFailed: 'mapIterationFailedEventDetails',
    MapIterationAborted: 'mapIterationAbortedEventDetails',
  };
  if (special[type]) return special[type];
  if (/^(ParallelState|MapState)(Started|Succeeded|Failed|Aborted)$/.test(type)) return undefined;
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}
