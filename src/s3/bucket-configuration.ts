// Bucket subresources tools read on every bucket (Terraform's aws_s3_bucket reads them all on each
// refresh; CDK and the console read several), answered as S3 answers a bucket created today that was
// never configured, plus bucket tagging and notifications, which are stored. Writing another
// configuration stays 501.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import { s3Error } from './errors.js';
import { escapeXml, sendDocument, sendXml, type XmlObject } from './xml.js';
import { bodylessBucketRequest, readPayload, type S3Request } from './request.js';
import type { S3Objects } from './objects.js';
import { parseTagging, taggingDocument } from './tagging.js';
import { bucketNotification } from './bucket-notification.js';

/** What GET answers for an unconfigured bucket: a document (root and content) or S3's "not configured" error. */
const UNCONFIGURED = {
  // Never versioned: an empty configuration (no Status), as S3 answers.
  versioning: { root: 'VersioningConfiguration', body: {} },
  // SSE-S3 is every bucket's default encryption since January 2023.
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    body: { Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false } },
  },
  // New buckets have all four Block Public Access settings and ACLs disabled since April 2023.
  publicAccessBlock: {
    root: 'PublicAccessBlockConfiguration',
    body: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  },
  ownershipControls: { root: 'OwnershipControls', body: { Rule: { ObjectOwnership: 'BucketOwnerEnforced' } } },
  logging: { root: 'BucketLoggingStatus', body: {} },
  accelerate: { root: 'AccelerateConfiguration', body: {} },
  requestPayment: { root: 'RequestPaymentConfiguration', body: { Payer: 'BucketOwner' } },
  policy: 'NoSuchBucketPolicy',
  cors: 'NoSuchCORSConfiguration',
  website: 'NoSuchWebsiteConfiguration',
  lifecycle: 'NoSuchLifecycleConfiguration',
  replication: 'ReplicationConfigurationNotFoundError',
  'object-lock': 'ObjectLockConfigurationNotFoundError',
} as const satisfies Record<string, { root: string; body: XmlObject } | Parameters<typeof s3Error>[0]>;

type Unconfigured = keyof typeof UNCONFIGURED;

/** Subresources only read (GET); `acl`, `tagging` and `notification` are handled besides. */
export const READ_SUBRESOURCES: readonly string[] = [...Object.keys(UNCONFIGURED), 'acl'];

/** The subresource of this request that this file answers, if any. */
export function configurationSubresource(r: S3Request): string | undefined {
  if (r.query.has('tagging')) return 'tagging';
  if (r.query.has('notification')) return 'notification';
  return r.method === 'GET' ? READ_SUBRESOURCES.find((name) => r.query.has(name)) : undefined;
}

/** The ACL every bucket and object has with ACLs disabled: the owner's FULL_CONTROL. */
export function sendOwnerAcl(res: ServerResponse, accountId: string): void {
  const id = `<ID>${escapeXml(accountId)}</ID><DisplayName>stagecraft</DisplayName>`;
  sendDocument(res, 'AccessControlPolicy', `<Owner>${id}</Owner><AccessControlList><Grant>`
    + `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${id}</Grantee>`
    + '<Permission>FULL_CONTROL</Permission></Grant></AccessControlList>');
}

export async function bucketConfiguration(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext, name: string): Promise<void> {
  const { accountId } = ctx;
  if (name === 'tagging') return bucketTagging(req, res, r, objects, ctx);
  if (name === 'notification') return bucketNotification(req, res, r, objects, ctx);
  await bodylessBucketRequest(req, r, objects, ctx);
  if (name === 'acl') return sendOwnerAcl(res, accountId);
  const answer = UNCONFIGURED[name as Unconfigured];
  if (typeof answer === 'string') throw s3Error(answer, { BucketName: r.bucket });
  sendXml(res, 200, answer.root, answer.body);
}

/** GetBucketTagging (NoSuchTagSet when none), PutBucketTagging (replaces the set), DeleteBucketTagging. */
async function bucketTagging(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<void> {
  const { accountId } = ctx;
  switch (r.method) {
    case 'GET': {
      await bodylessBucketRequest(req, r, objects, ctx);
      const tags = await objects.store.getBucketTags(accountId, r.bucket);
      if (!tags) throw s3Error('NoSuchTagSet', { BucketName: r.bucket });
      sendXml(res, 200, 'Tagging', taggingDocument(tags));
      return;
    }
    case 'PUT': {
      const { data } = await readPayload(req, r, ctx, true);
      await objects.bucket(accountId, r.bucket);
      const tags = parseTagging(data, 'bucket');
      // An empty tag set removes the bucket's (GetBucketTagging answers NoSuchTagSet after it).
      if (!(await objects.store.setBucketTags(accountId, r.bucket, tags.length ? tags : undefined))) throw s3Error('NoSuchBucket', { BucketName: r.bucket });
      res.writeHead(204).end();
      return;
    }
    case 'DELETE': {
      await bodylessBucketRequest(req, r, objects, ctx);
      await objects.store.setBucketTags(accountId, r.bucket, undefined);
      res.writeHead(204).end();
      return;
    }
    default:
      req.resume();
      throw s3Error('MethodNotAllowed', { Method: r.method, ResourceType: 'BUCKET' });
  }
}
