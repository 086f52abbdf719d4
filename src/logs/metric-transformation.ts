// A metric filter compiled for ingestion and TestMetricFilter: its pattern, and what one log event
// yields to its metric. A matching event gives `metricValue` (a number, or the number a `$field`
// names; an event whose field is absent or not a number gives nothing) with the dimensions its
// fields name; an event that does not match gives `defaultValue` when there is one (AWS: "the value
// to emit when a filter pattern does not match a log event").
import type { MetricFilterRecord, MetricTransformationRecord } from '../store/metric-filter-store.js';
import { compilePattern, type CompiledPattern } from './filter-pattern.js';

export interface MetricSample {
  value: number;
  /** Dimension name → value, from the matching event's fields. */
  dimensions: Record<string, string>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NO_DIMENSIONS: Record<string, string> = {};

export const isReference = (text: string): boolean => text.startsWith('$');
export const isNumberText = (text: string): boolean => NUMBER.test(text.trim());

export class CompiledMetricFilter {
  readonly pattern: CompiledPattern;
  readonly transformation: MetricTransformationRecord;
  readonly #literal: number | undefined;
  readonly #dimensions: [string, string][];

  constructor(readonly record: MetricFilterRecord) {
    this.pattern = compilePattern(record.pattern);
    this.transformation = record.transformations[0];
    const value = this.transformation.metricValue.trim();
    this.#literal = isReference(value) ? undefined : Number(value);
    this.#dimensions = Object.entries(this.transformation.dimensions ?? {});
  }

  /** What one event's message gives the metric, if anything. */
  sample(message: string): MetricSample | undefined {
    if (this.#literal !== undefined && !this.#dimensions.length) {
      // The common case (count lines): no fields needed, only whether the event matches.
      if (this.pattern.test(message)) return { value: this.#literal, dimensions: NO_DIMENSIONS };
      return this.#default();
    }
    const fields = this.pattern.fields(message);
    if (!fields) return this.#default();
    const value = this.#literal ?? numberOf(fields.value(this.transformation.metricValue.trim()));
    if (value === undefined) return undefined;
    const dimensions: Record<string, string> = {};
    for (const [name, ref] of this.#dimensions) {
      const v = fields.value(ref);
      if (v === undefined || v === '') return undefined; // a dimension without a value names no series
      dimensions[name] = v;
    }
    return { value, dimensions };
  }

  #default(): MetricSample | undefined {
    const d = this.transformation.defaultValue;
    return d === undefined || d === null ? undefined : { value: d, dimensions: NO_DIMENSIONS };
  }
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || !isNumberText(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
