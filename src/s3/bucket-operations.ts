// S3 operations on a bucket (no key): CreateBucket, HeadBucket, DeleteBucket, ListObjectsV2 (and v1),
// GetBucketLocation, DeleteObjects, ListMultipartUploads; configuration subresources in
// bucket-configuration.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import { s3Error } from './errors.js';
import { elements, escapeXml, parseDocument, sendDocument, sendXml, text } from './xml.js';
import { readPayload, authenticate, refuseUnserved, type S3Request } from './request.js';
import { validBucketName, type S3Objects } from './objects.js';
import { listInput, listObjectsV1, listObjectsV2 } from './listing.js';
import { listMultipartUploads } from './multipart-listing.js';
import { bucketConfiguration, configurationSubresource, READ_SUBRESOURCES } from './bucket-configuration.js';

/** Query parameters served on a bucket; any other (replication, inventory, …) is refused as not implemented. */
const SERVED = new Set([
  'list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'marker', 'location', 'delete', 'x-id',
  'uploads', 'key-marker', 'upload-id-marker', 'max-uploads', 'tagging', 'notification',
]);
/** GET also reads the configurations of a bucket never configured (writing them stays not implemented). */
const SERVED_ON_GET = new Set([...SERVED, ...READ_SUBRESOURCES]);

export async function bucketOperation(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<void> {
  refuseUnserved(req, r, r.method === 'GET' ? SERVED_ON_GET : SERVED);
  const { accountId } = ctx;
  const subresource = configurationSubresource(r);
  if (subresource !== undefined) return bucketConfiguration(req, res, r, objects, ctx, subresource);
  switch (r.method) {
    case 'PUT': {
      const { data } = await readPayload(req, r, ctx, true);
      if (!validBucketName(r.bucket)) throw s3Error('InvalidBucketName', { BucketName: r.bucket });
      const body = data.toString('utf8').trim();
      const region = body ? text(parseDocument(data, 'CreateBucketConfiguration'), 'LocationConstraint') ?? 'us-east-1' : 'us-east-1';
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) && region !== 'EU') throw s3Error('InvalidLocationConstraint', { LocationConstraint: region });
      const outcome = await objects.store.createBucket(accountId, { name: r.bucket, region, createdMs: Date.now() });
      // In us-east-1 S3 answers 200 to the owner creating the bucket again (its legacy behaviour).
      if (outcome === 'exists' && region !== 'us-east-1') throw s3Error('BucketAlreadyOwnedByYou', { BucketName: r.bucket });
      res.writeHead(200, { location: `/${r.bucket}`, 'content-length': 0 }).end();
      return;
    }
    case 'HEAD': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      const b = await objects.bucket(accountId, r.bucket);
      res.writeHead(200, { 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false', 'content-length': 0 }).end();
      return;
    }
    case 'DELETE': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      const outcome = await objects.store.deleteBucket(accountId, r.bucket);
      if (outcome === 'missing') throw s3Error('NoSuchBucket', { BucketName: r.bucket });
      if (outcome === 'not-empty') throw s3Error('BucketNotEmpty', { BucketName: r.bucket });
      res.writeHead(204).end();
      return;
    }
    case 'GET': {
      req.resume();
      await authenticate(ctx, Buffer.alloc(0));
      const b = await objects.bucket(accountId, r.bucket);
      if (r.query.has('location')) {
        // us-east-1 is the empty constraint.
        sendDocument(res, 'LocationConstraint', b.region === 'us-east-1' ? '' : escapeXml(b.region));
        return;
      }
      if (r.query.has('uploads')) {
        sendXml(res, 200, 'ListMultipartUploadsResult', await listMultipartUploads(objects, accountId, b.name, r.query));
        return;
      }
      const list = r.query.get('list-type') === '2'
        ? await listObjectsV2(objects.store, accountId, b.name, listInput(r.query))
        : await listObjectsV1(objects.store, accountId, b.name, listInput(r.query), r.query.get('marker') ?? '');
      sendXml(res, 200, 'ListBucketResult', list);
      return;
    }
    case 'POST': {
      if (!r.query.has('delete')) throw s3Error('MethodNotAllowed', { Method: 'POST', ResourceType: 'BUCKET' });
      const { data } = await readPayload(req, r, ctx, true);
      await objects.bucket(accountId, r.bucket);
      const doc = parseDocument(data, 'Delete');
      const quiet = text(doc, 'Quiet') === 'true';
      const keys = elements(doc, 'Object').map((o) => text(o, 'Key') ?? '');
      if (!keys.length || keys.length > 1000 || keys.some((k) => !k)) throw s3Error('MalformedXML');
      for (const key of keys) await objects.store.deleteObject(accountId, r.bucket, key);
      await objects.notifications.notify(ctx, r.bucket, 's3:ObjectRemoved:Delete', ...keys.map((key) => ({ key })));
      sendXml(res, 200, 'DeleteResult', { Deleted: quiet ? undefined : keys.map((Key) => ({ Key })) });
      return;
    }
    default:
      req.resume();
      throw s3Error('MethodNotAllowed', { Method: r.method, ResourceType: 'BUCKET' });
  }
}
