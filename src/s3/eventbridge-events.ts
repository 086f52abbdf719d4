// S3 events on EventBridge (a bucket with EventBridgeConfiguration): every object event goes to the
// default bus of the bucket's account and region, source aws.s3, with S3's detail-type and detail.
import type { S3EventName, S3EventOccurrence } from './notification-events.js';

/** Where S3 puts its events (EventBridge's publisher). */
export interface S3EventBus {
  putEvent(scope: { accountId: string; region: string }, event: { source: string; detailType: string; detail: unknown; resources?: string[]; timeMs?: number }): Promise<string>;
}

const DETAIL: Record<S3EventName, { detailType: string; reason?: string }> = {
  's3:ObjectCreated:Put': { detailType: 'Object Created', reason: 'PutObject' },
  's3:ObjectCreated:Post': { detailType: 'Object Created', reason: 'POST Object' },
  's3:ObjectCreated:Copy': { detailType: 'Object Created', reason: 'CopyObject' },
  's3:ObjectCreated:CompleteMultipartUpload': { detailType: 'Object Created', reason: 'CompleteMultipartUpload' },
  's3:ObjectRemoved:Delete': { detailType: 'Object Deleted', reason: 'DeleteObject' },
  's3:ObjectTagging:Put': { detailType: 'Object Tags Added' },
  's3:ObjectTagging:Delete': { detailType: 'Object Tags Deleted' },
};

/** The event's detail-type and detail, as S3 sends them to EventBridge (detail version "0"; the key not URL-encoded). */
export function eventBridgeEvent(o: S3EventOccurrence): { detailType: string; detail: Record<string, unknown> } {
  const { detailType, reason } = DETAIL[o.eventName];
  const object: Record<string, unknown> = { key: o.key };
  if (o.size !== undefined) object.size = o.size;
  if (o.etag !== undefined) object.etag = o.etag.replace(/"/g, '');
  if (o.sequencer !== undefined) object.sequencer = o.sequencer;
  return {
    detailType,
    detail: {
      version: '0',
      bucket: { name: o.bucket },
      object,
      'request-id': o.requestId,
      requester: o.ownerAccountId,
      'source-ip-address': o.sourceIp,
      ...(reason !== undefined ? { reason } : {}),
      ...(o.eventName === 's3:ObjectRemoved:Delete' ? { 'deletion-type': 'Permanently Deleted' } : {}),
    },
  };
}

/** The message S3 sends each queue and topic when their configuration is put. */
export function testEventMessage(bucket: string, requestId: string, nowMs: number): Buffer {
  return Buffer.from(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(nowMs).toISOString(), Bucket: bucket, RequestId: requestId, HostId: requestId }));
}
