// Per-request identifiers (x-amz-apigw-id, X-Amzn-Trace-Id roots), drawn from a pool of random
// bytes refilled in blocks: one crypto call per few hundred requests instead of one per request.
import { randomBytes } from 'node:crypto';

const POOL_SIZE = 8192;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

function take(n: number): Buffer {
  if (offset + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

/** x-amz-apigw-id / $context.extendedRequestId: 16 base64 characters, like AWS's. */
export function newExtendedRequestId(): string {
  return take(11).toString('base64').replace(/\//g, 'E').replace(/\+/g, 'F');
}

/** X-Amzn-Trace-Id: the client's Root when it sent one, else a new Root=1-{epoch hex}-{24 hex}. */
export function traceIdFor(incoming: string | undefined, now: number): string {
  if (incoming) {
    const m = /(?:^|;)\s*Root=([^;]+)/i.exec(incoming);
    if (m) return `Root=${m[1].trim()}`;
  }
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${take(12).toString('hex')}`;
}
