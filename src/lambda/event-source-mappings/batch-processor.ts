// One batch of queue messages through a mapping's function: records in AWS's shape, filtered
// (messages no filter matches are deleted, as AWS does), FIFO messages one invocation per message
// group in order, then deleted on success, left to reappear after the visibility timeout on
// failure, or deleted all but the reported ones with ReportBatchItemFailures.
import type { QueuePoller, ReceivedMessage } from '../../sqs/queue-sender.js';
import type { StoredEventSourceMapping } from '../../store/event-source-mapping-store.js';
import type { InvokeInput, InvokeOutcome } from '../invoke.js';
import { compileEventPattern, matchesPattern, type CompiledPattern } from '../../events/event-pattern.js';
import { logger } from '../../core/logger.js';
import { parseFunctionArn } from '../service-invoke.js';
import { failedItems, filterView, toRecord, type SqsRecord } from './sqs-event.js';

export interface BatchInvoker {
  invoke(input: InvokeInput): Promise<InvokeOutcome>;
}

export type BatchResult = 'processed' | 'failed' | 'function-missing';

export class BatchProcessor {
  readonly #patterns: CompiledPattern[];

  constructor(private readonly mapping: StoredEventSourceMapping, private readonly queues: QueuePoller, private readonly invoker: BatchInvoker) {
    this.#patterns = (mapping.filterCriteria?.Filters ?? []).map((f) => compileEventPattern(f.Pattern ?? ''));
  }

  async process(messages: ReceivedMessage[]): Promise<BatchResult> {
    const records = messages.map((m) => toRecord(m, this.mapping.eventSourceArn));
    const passing = this.#patterns.length ? records.filter((r) => this.#patterns.some((p) => matchesPattern(p, filterView(r)))) : records;
    if (passing.length < records.length) {
      const kept = new Set(passing);
      await this.#delete(records.filter((r) => !kept.has(r)));
    }
    if (!passing.length) return 'processed';
    let result: BatchResult = 'processed';
    for (const group of this.#groups(passing)) {
      const outcome = await this.#invoke(group);
      if (outcome !== 'processed') result = outcome;
      if (outcome === 'function-missing') break;
    }
    return result;
  }

  /** FIFO queues: one batch per message group, in the order received; standard queues: one batch. */
  #groups(records: SqsRecord[]): SqsRecord[][] {
    if (!this.mapping.eventSourceArn.endsWith('.fifo')) return [records];
    const groups = new Map<string, SqsRecord[]>();
    for (const r of records) {
      const id = r.attributes.MessageGroupId ?? '';
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    return [...groups.values()];
  }

  async #invoke(records: SqsRecord[]): Promise<BatchResult> {
    const fn = parseFunctionArn(this.mapping.functionArn)!;
    let outcome: InvokeOutcome;
    try {
      outcome = await this.invoker.invoke({
        ref: { accountId: fn.accountId, region: fn.region, name: fn.name, ...(fn.qualifier !== undefined ? { qualifier: fn.qualifier } : {}) },
        payload: Buffer.from(JSON.stringify({ Records: records })), invocationType: 'RequestResponse', payloadIsJson: true,
      });
    } catch (e) {
      // Throttled (reserved concurrency), gone, or refused: the messages stay in flight and reappear.
      const code = (e as { code?: string }).code;
      if (code !== 'TooManyRequestsException') logger.warn('event source mapping could not invoke its function', { uuid: this.mapping.uuid, error: (e as Error).message });
      if (code !== 'ResourceNotFoundException') return 'failed';
      // The function is gone: its messages are visible again at once for whoever reads the queue next.
      for (const r of records) await this.queues.changeVisibility(this.mapping.eventSourceArn, r.receiptHandle, 0).catch(() => undefined);
      return 'function-missing';
    }
    if (outcome.functionError) return 'failed';
    if (!this.mapping.functionResponseTypes.includes('ReportBatchItemFailures')) {
      await this.#delete(records);
      return 'processed';
    }
    const failed = failedItems(outcome.payload, new Set(records.map((r) => r.messageId)));
    if (failed === 'all') return 'failed';
    await this.#delete(records.filter((r) => !failed.has(r.messageId)));
    return failed.size ? 'failed' : 'processed';
  }

  async #delete(records: SqsRecord[]): Promise<void> {
    if (!records.length) return;
    try {
      await this.queues.deleteBatch(this.mapping.eventSourceArn, records.map((r) => r.receiptHandle));
    } catch (e) {
      logger.warn('event source mapping could not delete messages', { uuid: this.mapping.uuid, error: (e as Error).message });
    }
  }
}
