// GetObjectTagging, PutObjectTagging, DeleteObjectTagging (`?tagging` on a key). An object without
// tags answers an empty TagSet (not an error, unlike a bucket); objects are never versioned here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import { s3Error } from './errors.js';
import { sendXml } from './xml.js';
import { authenticate, readPayload, type S3Request } from './request.js';
import type { S3Objects } from './objects.js';
import { parseTagging, taggingDocument } from './tagging.js';

export async function objectTagging(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<void> {
  const { accountId } = ctx;
  switch (r.method) {
    case 'GET': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      const o = await objects.object(accountId, r.bucket, r.key);
      sendXml(res, 200, 'Tagging', taggingDocument(o.tags));
      return;
    }
    case 'PUT':
    case 'DELETE': {
      const body = r.method === 'PUT' ? (await readPayload(req, r, ctx, true)).data : undefined;
      if (r.method === 'DELETE') {
        req.resume();
        await authenticate(ctx, Buffer.alloc(0));
      }
      const o = await objects.object(accountId, r.bucket, r.key);
      const tags = body ? parseTagging(body, 'object') : [];
      if (!(await objects.store.setObjectTags(accountId, r.bucket, r.key, tags))) throw s3Error('NoSuchKey', { Key: r.key });
      await objects.notifications.notify(ctx, r.bucket, r.method === 'PUT' ? 's3:ObjectTagging:Put' : 's3:ObjectTagging:Delete', { key: r.key, etag: o.etag });
      if (r.method === 'PUT') res.writeHead(200, { 'content-length': 0 }).end();
      else res.writeHead(204).end();
      return;
    }
    default:
      req.resume();
      throw s3Error('MethodNotAllowed', { Method: r.method, ResourceType: 'OBJECT' });
  }
}
