// Embedded metric format applied to log events as they are stored, in every log group: a batch
// whose events do not contain `"_aws"` costs one substring test per event. Extracted samples go to
// the same publisher as metric filters' (CloudWatch's per-minute aggregator; in a cluster each node
// publishes what it ingests). Events that fail to parse or validate stay in the log and count in
// AWS/Logs EMFParsingErrors / EMFValidationErrors, as CloudWatch Logs reports them.
import type { LogsScope, NewLogEvent } from '../store/logs-store.js';
import { logger } from '../core/logger.js';
import type { LogMetricPublisher } from './metric-filter-ingest.js';
import { mayBeEmf, readEmf } from './emf.js';

export class EmfIngest {
  #publish: LogMetricPublisher | undefined;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  connect(publish: LogMetricPublisher): void {
    this.#publish = publish;
  }

  /** Whether any of the events may carry EMF (the test callers make before scheduling work). */
  static worthReading(events: readonly NewLogEvent[]): boolean {
    for (const e of events) if (mayBeEmf(e.message)) return true;
    return false;
  }

  /** Extracts the metrics of events just stored. `lambdaOutput`: lines a function printed. */
  observe(scope: LogsScope, group: string, events: readonly NewLogEvent[], lambdaOutput: boolean): void {
    const publish = this.#publish;
    if (!publish) return;
    let now: number | undefined;
    for (const e of events) {
      if (!mayBeEmf(e.message)) continue;
      now ??= this.#now();
      let result: ReturnType<typeof readEmf>;
      try {
        result = readEmf(e.message, now, lambdaOutput);
      } catch (error) {
        // A fault here must not take the server down (this runs from a timer or setImmediate).
        logger.warn('embedded metric format extraction failed', { logGroupName: group, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (!result) continue;
      if (result.kind === 'samples') {
        for (const s of result.samples) publish({ scope, ...s });
        continue;
      }
      if (result.kind === 'invalid') logger.debug('embedded metric format event not extracted', { logGroupName: group, reason: result.reason });
      publish({
        scope, namespace: 'AWS/Logs', metricName: result.kind === 'parse-error' ? 'EMFParsingErrors' : 'EMFValidationErrors',
        dimensions: { LogGroupName: group }, unit: 'None', timestampMs: now, value: 1,
      });
    }
  }
}
