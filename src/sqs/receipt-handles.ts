// Receipt handles: opaque to callers, they name the message (its queue order number) and the
// receive that handed it out. A handle from an earlier receive still deletes the message, as on AWS.
import { randomBytes } from 'node:crypto';
import { receiptHandleIsInvalid } from './errors.js';

export function receiptHandle(queueName: string, seq: number): string {
  return Buffer.from(JSON.stringify({ q: queueName, s: seq, r: randomBytes(12).toString('hex') })).toString('base64');
}

/** The message a handle names; AWS's ReceiptHandleIsInvalid when it is not one of ours for this queue. */
export function handleSeq(queueName: string, handle: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { q?: unknown; s?: unknown };
    if (parsed.q === queueName && typeof parsed.s === 'number' && Number.isInteger(parsed.s)) return parsed.s;
  } catch {
    // not base64 JSON: not a handle of ours
  }
  throw receiptHandleIsInvalid(handle);
}
