// S3's event message (event notification structure, eventVersion 2.1) and which of a bucket's
// configurations an event reaches (event name, wildcard, key prefix and suffix).
import type { NotificationTarget } from './notification-configuration.js';

/** The event names Stagecraft's S3 sends (without versioning, no DeleteMarkerCreated). */
export type S3EventName =
  | 's3:ObjectCreated:Put' | 's3:ObjectCreated:Post' | 's3:ObjectCreated:Copy' | 's3:ObjectCreated:CompleteMultipartUpload'
  | 's3:ObjectRemoved:Delete' | 's3:ObjectTagging:Put' | 's3:ObjectTagging:Delete';

/** What happened, as the S3 request that did it saw it. */
export interface S3EventOccurrence {
  eventName: S3EventName;
  region: string;
  bucket: string;
  /** The bucket owner's account. */
  ownerAccountId: string;
  key: string;
  /** Created objects: their size and ETag; tagged objects: their ETag (with its quotes, as stored). */
  size?: number;
  etag?: string;
  /** The caller's principal (an account or access key ID). */
  principalId: string;
  sourceIp: string;
  requestId: string;
  timeMs: number;
  /** Created and removed objects (S3 sends none with tagging events). */
  sequencer?: string;
}

/** Whether an event reaches a configuration: one of its events names it (or its family's wildcard), the key within its filter. */
export function targetMatches(t: NotificationTarget, eventName: string, key: string): boolean {
  const named = t.events.some((e) => e === eventName || (e.endsWith(':*') && eventName.startsWith(e.slice(0, -1))));
  return named && key.startsWith(t.prefix ?? '') && key.endsWith(t.suffix ?? '');
}

/** The key as S3 writes it in events: form-encoded (a space is '+'), slashes kept. */
export function eventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

let lastSequence = 0n;
/**
 * An event's sequencer: hex that grows with time (the clock in microseconds, then a counter), so
 * that of two events on one key the later has the greater value, as S3 promises.
 */
export function nextSequencer(nowMs = Date.now()): string {
  const candidate = BigInt(nowMs) * 1000n;
  lastSequence = candidate > lastSequence ? candidate : lastSequence + 1n;
  return lastSequence.toString(16).toUpperCase().padStart(16, '0');
}

/** The message sent to a configuration's destination: one record. */
export function s3EventMessage(o: S3EventOccurrence, configurationId: string): Record<string, unknown> {
  const object: Record<string, unknown> = { key: eventKey(o.key) };
  if (o.size !== undefined) object.size = o.size;
  if (o.etag !== undefined) object.eTag = o.etag.replace(/"/g, '');
  if (o.sequencer !== undefined) object.sequencer = o.sequencer;
  return {
    Records: [{
      // S3 marks tagging events (with ACL, lifecycle and restore-delete events) 2.3, the others 2.1.
      eventVersion: o.eventName.startsWith('s3:ObjectTagging:') ? '2.3' : '2.1',
      eventSource: 'aws:s3',
      awsRegion: o.region,
      eventTime: new Date(o.timeMs).toISOString(),
      eventName: o.eventName.slice('s3:'.length),
      userIdentity: { principalId: o.principalId },
      requestParameters: { sourceIPAddress: o.sourceIp },
      responseElements: { 'x-amz-request-id': o.requestId, 'x-amz-id-2': o.requestId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId,
        bucket: { name: o.bucket, ownerIdentity: { principalId: o.ownerAccountId }, arn: `arn:aws:s3:::${o.bucket}` },
        object,
      },
    }],
  };
}
