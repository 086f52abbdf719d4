// CloudWatch embedded metric format: a log event that is a JSON object whose `_aws` member holds
// `CloudWatchMetrics` directives names metrics whose values are members of the same object. This
// module reads one event: not EMF at all (the common case, decided by a substring test before any
// parsing), EMF that fails to parse or validate (nothing is extracted, as in CloudWatch), or the
// samples to record.
import type { LogMetricSample } from '../cloudwatch/log-metrics.js';

export type EmfResult =
  | { kind: 'samples'; samples: Omit<LogMetricSample, 'scope'>[] }
  | { kind: 'parse-error' }
  | { kind: 'invalid'; reason: string };

const MAX_METRICS_PER_DIRECTIVE = 100;
const MAX_DIMENSIONS_PER_SET = 30;
const MAX_VALUES = 100;
const MAX_NAMESPACE = 255;
const MAX_NAME = 1024;
const MAX_DIMENSION_VALUE = 1024;
const TWO_WEEKS_MS = 14 * 24 * 3600_000;
const TWO_HOURS_MS = 2 * 3600_000;

/** CloudWatch's StandardUnit values. */
const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);

/**
 * The text-format prefix Lambda's Node.js runtime puts before console output
 * (`<ISO time>\t<request id>\t<LEVEL>\t`): CloudWatch still extracts EMF printed with console.log.
 */
const LAMBDA_PREFIX = /^\d{4}-\d\d-\d\dT[^\t]*\t[^\t]*\t[A-Z]+\t/;

/** Whether a message may be EMF: the cheap test that keeps every other event from being parsed. */
export const mayBeEmf = (message: string): boolean => message.includes('"_aws"');

/**
 * Reads one log event. `lambdaOutput`: the event is a line a function printed, which may carry the
 * runtime's text prefix. Returns undefined when the event is not EMF (not a JSON object with `_aws`).
 */
export function readEmf(message: string, now: number, lambdaOutput: boolean): EmfResult | undefined {
  if (!mayBeEmf(message)) return undefined;
  let text = message.trim();
  if (lambdaOutput && !text.startsWith('{')) text = text.replace(LAMBDA_PREFIX, '').trim();
  if (!text.startsWith('{')) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return { kind: 'parse-error' };
  }
  if (!isObject(root) || !('_aws' in root)) return undefined;
  try {
    return { kind: 'samples', samples: extract(root, now) };
  } catch (e) {
    if (e instanceof EmfInvalid) return { kind: 'invalid', reason: e.message };
    throw e;
  }
}

class EmfInvalid extends Error {}

const invalid = (reason: string): never => {
  throw new EmfInvalid(reason);
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkName(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.length < 1 || v.length > max) return invalid(`${what} must be a string of 1 to ${max} characters`);
  return v;
}

function extract(root: Record<string, unknown>, now: number): Omit<LogMetricSample, 'scope'>[] {
  const meta = root._aws;
  if (!isObject(meta)) return invalid('_aws must be an object');
  if (typeof meta.Timestamp !== 'number' || meta.Timestamp < 0) return invalid('_aws.Timestamp must be a number of milliseconds');
  // The specification asks for a number, not an integer: a fraction of a millisecond is dropped.
  const timestampMs = Math.floor(meta.Timestamp);
  if (timestampMs < now - TWO_WEEKS_MS || timestampMs > now + TWO_HOURS_MS) return invalid('_aws.Timestamp is outside the accepted window');
  const directives = meta.CloudWatchMetrics;
  if (!Array.isArray(directives)) return invalid('_aws.CloudWatchMetrics must be an array');
  const samples: Omit<LogMetricSample, 'scope'>[] = [];
  // The same series named twice in one event (two dimension sets alike, two directives alike) is recorded once.
  const seen = new Set<string>();
  for (const directive of directives) {
    if (!isObject(directive)) return invalid('a MetricDirective must be an object');
    const namespace = checkName(directive.Namespace, 'Namespace', MAX_NAMESPACE);
    if (namespace.startsWith('AWS/')) return invalid(`Namespace ${namespace} is invalid`);
    const sets = dimensionSets(root, directive.Dimensions);
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) return invalid('Metrics must be an array');
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) return invalid(`a MetricDirective holds at most ${MAX_METRICS_PER_DIRECTIVE} metrics`);
    for (const definition of metrics) {
      if (!isObject(definition)) return invalid('a MetricDefinition must be an object');
      const metricName = checkName(definition.Name, 'Metric Name', MAX_NAME);
      const unit = definition.Unit ?? 'None';
      if (typeof unit !== 'string' || !UNITS.has(unit)) return invalid(`Unit ${String(unit)} is not a CloudWatch unit`);
      const resolution = definition.StorageResolution ?? 60;
      if (resolution !== 1 && resolution !== 60) return invalid('StorageResolution must be 1 or 60');
      const values = valuesOf(root[metricName], metricName);
      for (const dimensions of sets) {
        const key = `${namespace}\0${metricName}\0${JSON.stringify(Object.entries(dimensions).sort())}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const value of values) samples.push({ namespace, metricName, dimensions, unit, timestampMs, value, storageResolution: resolution });
      }
    }
  }
  return samples;
}

/** Each dimension set with its values (an empty set: the metric without dimensions). */
function dimensionSets(root: Record<string, unknown>, sets: unknown): Record<string, string>[] {
  if (!Array.isArray(sets)) return invalid('Dimensions must be an array of dimension sets');
  // A directive without dimension sets still publishes its metrics, without dimensions.
  if (!sets.length) return [{}];
  return sets.map((set): Record<string, string> => {
    if (!Array.isArray(set)) return invalid('a DimensionSet must be an array');
    if (set.length > MAX_DIMENSIONS_PER_SET) return invalid(`a DimensionSet holds at most ${MAX_DIMENSIONS_PER_SET} dimensions`);
    const dimensions: Record<string, string> = {};
    for (const ref of set) {
      const name = checkName(ref, 'a dimension name', 255);
      const value = root[name];
      if (typeof value !== 'string' || value.length < 1 || value.length > MAX_DIMENSION_VALUE) {
        return invalid(`dimension ${name} must name a string member of 1 to ${MAX_DIMENSION_VALUE} characters`);
      }
      dimensions[name] = value;
    }
    return dimensions;
  });
}

/** A metric's values: a number, or an array of up to 100 numbers. */
function valuesOf(v: unknown, name: string): number[] {
  // JSON numbers beyond the double range parse as Infinity, which CloudWatch cannot store.
  if (typeof v === 'number' && Number.isFinite(v)) return [v];
  if (!Array.isArray(v) || !v.length) return invalid(`metric ${name} must name a number or an array of numbers`);
  if (v.length > MAX_VALUES) return invalid(`metric ${name} holds more than ${MAX_VALUES} values`);
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) return invalid(`metric ${name} must name a number or an array of numbers`);
  return v as number[];
}
