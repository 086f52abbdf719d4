// The pollers of one enabled mapping on this node: long polls of its queue, a batch gathered up to
// BatchSize or the batching window, then the batch processor. It starts with one poller and adds
// one each time a poll comes back with messages, up to its limit; an extra poller whose poll comes
// back empty stops. A stopped mapping's pollers make what they hold visible again and end.
import type { QueuePoller, ReceivedMessage } from '../../sqs/queue-sender.js';
import type { StoredEventSourceMapping } from '../../store/event-source-mapping-store.js';
import { logger } from '../../core/logger.js';
import { BatchProcessor, type BatchInvoker } from './batch-processor.js';

/** Seconds one receive waits for messages: short enough that a disabled mapping stops promptly. */
export const POLL_WAIT_SECONDS = 2;
const ERROR_PAUSE_MS = 1000;
const RECEIVE_LIMIT = 10;

export class MappingPoller {
  readonly #processor: BatchProcessor;
  readonly #loops = new Set<Promise<void>>();
  #active = 0;
  #stopped = false;
  /** Ends the pollers' long polls when the mapping stops, so that a stop (and what waits for it) is prompt. */
  readonly #stopping = new AbortController();
  #failing = false;

  constructor(readonly mapping: StoredEventSourceMapping, private readonly queues: QueuePoller, invoker: BatchInvoker,
    private readonly maxPollers: number, private readonly onFunctionMissing: () => void) {
    this.#processor = new BatchProcessor(mapping, queues, invoker);
  }

  start(): void {
    this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    while (this.#loops.size) await Promise.all([...this.#loops]);
  }

  #spawn(): void {
    this.#active++;
    const loop = this.#loop().finally(() => {
      this.#active--;
      this.#loops.delete(loop);
    });
    this.#loops.add(loop);
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let batch: ReceivedMessage[];
      try {
        batch = await this.#gather();
      } catch (e) {
        // Once per run of failures (a deleted queue would otherwise log every second).
        if (!this.#failing) logger.warn('event source mapping could not receive from its queue', { uuid: this.mapping.uuid, error: (e as Error).message });
        this.#failing = true;
        await pause(ERROR_PAUSE_MS);
        continue;
      }
      this.#failing = false;
      if (this.#stopped) return this.#release(batch);
      if (!batch.length) {
        if (this.#active > 1) return;
        continue;
      }
      if (this.#active < this.maxPollers) this.#spawn();
      const result = await this.#processor.process(batch);
      if (result === 'function-missing') {
        this.onFunctionMissing();
        await pause(ERROR_PAUSE_MS);
      }
    }
  }

  /** Up to BatchSize messages: one receive, more while the batching window is open and the batch is not full. */
  async #gather(): Promise<ReceivedMessage[]> {
    const { batchSize, maximumBatchingWindowInSeconds: window, eventSourceArn } = this.mapping;
    const batch = await this.queues.receive(eventSourceArn, { maxMessages: Math.min(RECEIVE_LIMIT, batchSize), waitSeconds: POLL_WAIT_SECONDS, signal: this.#stopping.signal });
    if (!batch.length || window === 0) return batch;
    const deadline = Date.now() + window * 1000;
    while (batch.length < batchSize && !this.#stopped) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const more = await this.queues.receive(eventSourceArn, {
        maxMessages: Math.min(RECEIVE_LIMIT, batchSize - batch.length), waitSeconds: Math.min(POLL_WAIT_SECONDS, Math.max(1, Math.floor(left / 1000))),
        signal: this.#stopping.signal,
      });
      batch.push(...more);
    }
    return batch;
  }

  async #release(batch: ReceivedMessage[]): Promise<void> {
    for (const m of batch) {
      await this.queues.changeVisibility(this.mapping.eventSourceArn, m.ReceiptHandle, 0).catch(() => undefined);
    }
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
