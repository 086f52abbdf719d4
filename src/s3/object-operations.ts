// S3 operations on an object: PutObject, CopyObject, GetObject (Range), HeadObject, DeleteObject,
// and the multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload, ListParts); tagging in object-tagging.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import type { S3Object } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import { elements, parseDocument, sendXml, text } from './xml.js';
import { authenticate, readPayload, userMetadata, refuseUnserved, type S3Request } from './request.js';
import { MAX_PART_NUMBER, type S3Objects } from './objects.js';
import { listParts } from './multipart-listing.js';
import { objectTagging } from './object-tagging.js';
import { parseTaggingHeader } from './tagging.js';
import { sendOwnerAcl } from './bucket-configuration.js';

const DEFAULT_TYPE = 'binary/octet-stream';
/** Query parameters served on an object; any other (retention, legal-hold, …) is refused as not implemented. */
const SERVED = new Set(['uploads', 'uploadId', 'partNumber', 'x-id', 'response-content-type', 'response-content-disposition', 'max-parts', 'part-number-marker', 'tagging']);
/** GetObjectAcl answers the owner's FULL_CONTROL (ACLs disabled); PutObjectAcl stays not implemented. */
const SERVED_ON_GET = new Set([...SERVED, 'acl']);

export async function objectOperation(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<void> {
  refuseUnserved(req, r, r.method === 'GET' ? SERVED_ON_GET : SERVED);
  const { accountId } = ctx;
  const uploadId = r.query.get('uploadId');
  if (r.query.has('tagging')) return objectTagging(req, res, r, objects, ctx);
  switch (r.method) {
    case 'PUT': {
      const payload = await readPayload(req, r, ctx);
      if (uploadId !== null) {
        const partNumber = Number(r.query.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
          throw s3Error('InvalidArgument', { ArgumentName: 'partNumber', ArgumentValue: r.query.get('partNumber') ?? '' }, `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
        }
        const part = await objects.putPart(accountId, r.bucket, r.key, uploadId, partNumber, payload.data, payload.checksums);
        res.writeHead(200, { etag: part.etag, ...payload.checksums, 'content-length': 0 }).end();
        return;
      }
      const source = r.header('x-amz-copy-source');
      if (source !== undefined) return copyObject(req, res, r, objects, ctx, source);
      const o = await objects.put(accountId, r.bucket, r.key, {
        data: payload.data, contentType: r.header('content-type') ?? DEFAULT_TYPE, metadata: userMetadata(req.headers), checksums: payload.checksums,
        tags: parseTaggingHeader(r.header('x-amz-tagging')),
      });
      await objects.notifications.notify(ctx, r.bucket, 's3:ObjectCreated:Put', o);
      res.writeHead(200, { etag: o.etag, ...payload.checksums, 'content-length': 0 }).end();
      return;
    }
    case 'GET':
    case 'HEAD': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      if (r.method === 'GET' && uploadId !== null) {
        sendXml(res, 200, 'ListPartsResult', await listParts(objects, accountId, r.bucket, r.key, uploadId, r.query));
        return;
      }
      const o = await objects.object(accountId, r.bucket, r.key);
      if (r.method === 'GET' && r.query.has('acl')) return sendOwnerAcl(res, accountId);
      return sendObject(res, r, o, objects, ctx);
    }
    case 'DELETE': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      if (uploadId !== null) {
        await objects.upload(accountId, r.bucket, r.key, uploadId);
        await objects.store.deleteUpload(uploadId);
      } else {
        await objects.bucket(accountId, r.bucket);
        await objects.store.deleteObject(accountId, r.bucket, r.key);
        await objects.notifications.notify(ctx, r.bucket, 's3:ObjectRemoved:Delete', { key: r.key });
      }
      res.writeHead(204).end();
      return;
    }
    case 'POST': {
      const { data } = await readPayload(req, r, ctx, true);
      if (r.query.has('uploads')) {
        const tags = parseTaggingHeader(r.header('x-amz-tagging'));
        const u = await objects.createUpload(accountId, r.bucket, r.key, r.header('content-type') ?? DEFAULT_TYPE, userMetadata(req.headers), tags);
        const algorithm = r.header('x-amz-checksum-algorithm');
        sendXml(res, 200, 'InitiateMultipartUploadResult', { Bucket: r.bucket, Key: r.key, UploadId: u.uploadId }, algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {});
        return;
      }
      if (uploadId !== null) {
        const doc = parseDocument(data, 'CompleteMultipartUpload');
        const parts = elements(doc, 'Part').map((p) => ({ partNumber: Number(text(p, 'PartNumber')), etag: text(p, 'ETag') ?? '' }));
        const o = await objects.complete(accountId, r.bucket, r.key, uploadId, parts, (bytes) => ctx.bodyLease?.take(bytes));
        await objects.notifications.notify(ctx, r.bucket, 's3:ObjectCreated:CompleteMultipartUpload', o);
        sendXml(res, 200, 'CompleteMultipartUploadResult', {
          Location: `${ctx.baseUrl}/${r.bucket}/${encodeURIComponent(r.key).replace(/%2F/g, '/')}`, Bucket: r.bucket, Key: r.key, ETag: o.etag,
        });
        return;
      }
      throw s3Error('MethodNotAllowed', { Method: 'POST', ResourceType: 'OBJECT' });
    }
    default:
      req.resume();
      throw s3Error('MethodNotAllowed', { Method: r.method, ResourceType: 'OBJECT' });
  }
}

async function copyObject(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext, source: string): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(source.split('?')[0]).replace(/^\//, '');
    if (path.includes('\0')) path = '';
  } catch {
    path = '';
  }
  const slash = path.indexOf('/');
  if (slash <= 0) throw s3Error('InvalidArgument', { ArgumentName: 'x-amz-copy-source', ArgumentValue: source }, 'Invalid copy source object key');
  const from = await objects.object(ctx.accountId, path.slice(0, slash), path.slice(slash + 1));
  const replace = r.header('x-amz-metadata-directive') === 'REPLACE';
  // Tags are copied unless x-amz-tagging-directive is REPLACE (then x-amz-tagging's, or none).
  const replaceTags = r.header('x-amz-tagging-directive') === 'REPLACE';
  // The source is read whole: it counts against the request memory budget until the answer is sent.
  ctx.bodyLease?.take(from.size);
  const o = await objects.put(ctx.accountId, r.bucket, r.key, {
    data: await objects.bytes(from),
    contentType: replace ? r.header('content-type') ?? DEFAULT_TYPE : from.contentType,
    metadata: replace ? userMetadata(req.headers) : from.metadata,
    checksums: from.checksums,
    tags: replaceTags ? parseTaggingHeader(r.header('x-amz-tagging')) : from.tags,
  }, from.etag);
  await objects.notifications.notify(ctx, r.bucket, 's3:ObjectCreated:Copy', o);
  sendXml(res, 200, 'CopyObjectResult', { ETag: o.etag, LastModified: new Date(o.lastModifiedMs).toISOString() });
}

/** GetObject / HeadObject: the bytes (or a Range of them) with S3's headers. */
async function sendObject(res: ServerResponse, r: S3Request, o: S3Object, objects: S3Objects, ctx: RequestContext): Promise<void> {
  const headers: Record<string, string | number> = {
    etag: o.etag,
    'last-modified': new Date(o.lastModifiedMs).toUTCString(),
    'content-type': r.query.get('response-content-type') ?? o.contentType,
    'accept-ranges': 'bytes',
  };
  const disposition = r.query.get('response-content-disposition');
  if (disposition) headers['content-disposition'] = disposition;
  for (const [name, value] of Object.entries(o.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (o.tags.length) headers['x-amz-tagging-count'] = o.tags.length;
  // S3 sends the stored checksum when asked (x-amz-checksum-mode: ENABLED), for the whole object.
  const range = r.header('range');
  if (r.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && range === undefined) Object.assign(headers, o.checksums);
  const span = range === undefined ? undefined : parseRange(range, o.size);
  if (span) {
    headers['content-range'] = `bytes ${span.start}-${span.end}/${o.size}`;
    headers['content-length'] = span.end - span.start + 1;
  } else {
    headers['content-length'] = o.size;
  }
  const status = span ? 206 : 200;
  if (r.method === 'HEAD') {
    res.writeHead(status, headers).end();
    return;
  }
  // The object is read whole and held until the answer is sent: it counts against the request memory budget.
  ctx.bodyLease?.take(o.size);
  const data = await objects.bytes(o);
  res.writeHead(status, headers).end(span ? data.subarray(span.start, span.end + 1) : data);
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; another form is ignored (the whole object), as S3 does. */
function parseRange(value: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw s3Error('InvalidRange', { RangeRequested: value, ActualObjectSize: String(size) });
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw s3Error('InvalidRange', { RangeRequested: value, ActualObjectSize: String(size) });
  return { start, end };
}
