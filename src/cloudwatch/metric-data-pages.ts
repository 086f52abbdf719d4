// GetMetricData's pages: at most MaxDatapoints datapoints per answer, results in request order;
// a result cut short is `PartialData` and the NextToken says where the next page resumes. Pages
// are computed again from the request each time (nothing is kept between calls), so the token
// also carries a digest of the request: a token used with another request is refused.
import { createHash } from 'node:crypto';
import type { GetMetricDataInput, MessageData, MetricDataResult } from '../aws/generated/cloudwatch.js';
import { invalidNextToken, validationError } from './errors.js';

/** AWS's default MaxDatapoints. */
export const DEFAULT_MAX_DATAPOINTS = 100_800;

/** One result with all its datapoints, in the order they are answered. */
export interface FullResult {
  Id: string;
  Label: string;
  timestamps: number[];
  values: number[];
  Messages: MessageData[];
}

interface Position {
  result: number;
  offset: number;
}

function digest(input: GetMetricDataInput): string {
  const { MetricDataQueries, StartTime, EndTime, ScanBy } = input;
  return createHash('sha256').update(JSON.stringify([MetricDataQueries, StartTime.getTime(), EndTime.getTime(), ScanBy ?? ''])).digest('base64url').slice(0, 16);
}

function decode(token: string, input: GetMetricDataInput): Position {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { r?: unknown; o?: unknown; d?: unknown };
    if (Number.isInteger(t.r) && Number.isInteger(t.o) && (t.r as number) >= 0 && (t.o as number) >= 0 && t.d === digest(input)) {
      return { result: t.r as number, offset: t.o as number };
    }
  } catch {
    // falls through to the error
  }
  throw invalidNextToken();
}

const encode = (p: Position, input: GetMetricDataInput): string => Buffer.from(JSON.stringify({ r: p.result, o: p.offset, d: digest(input) })).toString('base64');

/** MaxDatapoints as given (a positive number) or AWS's default. */
export function maxDatapoints(input: GetMetricDataInput): number {
  const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(max) || max < 1) throw validationError(`The value ${max} for parameter MaxDatapoints is not valid. It must be greater than 0.`);
  return max;
}

/** The page of `results` the request asks for. */
export function page(results: FullResult[], input: GetMetricDataInput): { MetricDataResults: MetricDataResult[]; NextToken?: string } {
  let budget = maxDatapoints(input);
  const start = input.NextToken === undefined ? { result: 0, offset: 0 } : decode(input.NextToken, input);
  if (start.result > results.length || (start.result < results.length && start.offset > results[start.result].values.length)) throw invalidNextToken();
  const out: MetricDataResult[] = [];
  for (let r = start.result; r < results.length; r++) {
    const full = results[r];
    const from = r === start.result ? start.offset : 0;
    if (budget === 0) return { MetricDataResults: out, NextToken: encode({ result: r, offset: from }, input) };
    const to = Math.min(full.values.length, from + budget);
    budget -= to - from;
    const partial = to < full.values.length;
    out.push({
      Id: full.Id,
      Label: full.Label,
      Timestamps: full.timestamps.slice(from, to).map((t) => new Date(t)),
      Values: full.values.slice(from, to),
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: full.Messages,
    });
    if (partial) return { MetricDataResults: out, NextToken: encode({ result: r, offset: to }, input) };
  }
  return { MetricDataResults: out };
}
