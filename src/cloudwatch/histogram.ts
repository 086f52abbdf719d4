// A compact, mergeable distribution of non-negative samples, from which percentiles and the other
// extended statistics are estimated. Buckets are log-linear, read straight off the IEEE-754 bits:
// a sample's bucket is its exponent and the top 6 bits of its mantissa (64 buckets per power of
// two), so a bucket's width is at most 1/64 of its lower bound and its midpoint is within 0.8% of
// any sample in it. Adding a sample is one bit extraction and one Map increment; histograms of the
// same minute from several nodes merge by adding counts.

/** Bits of the high 32-bit word below a bucket index: 20 mantissa bits less the 6 kept. */
const SHIFT = 14;
const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);
/** The high word's index in `words` (little-endian machines keep it second). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket of a non-negative finite sample. */
export function bucketOf(value: number): number {
  f64[0] = value;
  return (words[HIGH] & 0x7fffffff) >>> SHIFT;
}

/** The smallest value of a bucket. */
export function bucketLow(bucket: number): number {
  words[HIGH] = bucket << SHIFT;
  words[1 - HIGH] = 0;
  return f64[0];
}

/** A bucket's representative: its midpoint (bucket 0 holds 0 and subnormals: 0). */
export const bucketValue = (bucket: number): number => (bucket === 0 ? 0 : (bucketLow(bucket) + bucketLow(bucket + 1)) / 2);

/** The relative error bound of bucketValue for any sample in the bucket. */
export const RELATIVE_ERROR = 1 / 128;

export interface Bucket {
  low: number;
  high: number;
  value: number;
  count: number;
}

export class Histogram {
  /** Bucket → count (counts may be fractional: PutMetricData's Counts are doubles). */
  readonly buckets: Map<number, number>;
  count: number;

  constructor(buckets = new Map<number, number>(), count = sum(buckets)) {
    this.buckets = buckets;
    this.count = count;
  }

  /** Adds `count` samples of `value` (non-negative, finite: the caller checks). */
  add(value: number, count = 1): void {
    const b = bucketOf(value);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + count);
    this.count += count;
  }

  merge(other: Histogram): void {
    for (const [b, c] of other.buckets) this.buckets.set(b, (this.buckets.get(b) ?? 0) + c);
    this.count += other.count;
  }

  copy(): Histogram {
    return new Histogram(new Map(this.buckets), this.count);
  }

  /** The buckets in value order: the values [low, high) they hold, their representative and count. */
  sorted(): Bucket[] {
    return [...this.buckets.keys()].sort((a, b) => a - b)
      .map((b) => ({ low: b === 0 ? 0 : bucketLow(b), high: bucketLow(b + 1), value: bucketValue(b), count: this.buckets.get(b)! }));
  }

  /** Stored form: a JSON array of bucket, count pairs flattened, by bucket. */
  encode(): string {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    return JSON.stringify(keys.flatMap((k) => [k, this.buckets.get(k)!]));
  }

  static decode(text: string): Histogram {
    const flat = JSON.parse(text) as number[];
    const buckets = new Map<number, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) buckets.set(flat[i], flat[i + 1]);
    return new Histogram(buckets);
  }
}

function sum(buckets: Map<number, number>): number {
  let n = 0;
  for (const c of buckets.values()) n += c;
  return n;
}
