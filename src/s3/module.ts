// The S3 service module (REST-XML, signing name `s3`): buckets, objects and multipart uploads,
// enough for tools that keep Lambda code in S3 (aws s3 cp, SDK uploads, cloudformation package).
// Requests are path style (`/{bucket}/{key}`, what clients with a custom endpoint send) or
// virtual-host style (`{bucket}.s3.localhost`). Operations are told apart by method, key and query.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { RequestContext } from '../aws/request-context.js';
import { logger } from '../core/logger.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import { authFailureError } from '../aws/auth-errors.js';
import { S3Error, s3Error } from './errors.js';
import { sendError, sendXml } from './xml.js';
import { authenticate, isVirtualHost, parseRequest, type S3Request } from './request.js';
import type { S3Objects } from './objects.js';
import { bucketOperation } from './bucket-operations.js';
import { objectOperation } from './object-operations.js';
import { BodyBudgetExhaustedError } from '../aws/body-budget.js';
import { parseAwsChunked } from './aws-chunked.js';
import { chunkSignaturesMatch, SIGNED_CHUNKS, SIGNED_CHUNKS_TRAILER } from './chunk-signatures.js';

export interface S3Module {
  service: ServiceModule;
}

/** `verifier`: the server's, when it checks signatures (presigned URLs are checked here: the edge checks Authorization headers). */
export function createS3Module(objects: S3Objects, verifier?: SigV4Verifier): S3Module {
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void> => {
    const method = req.method ?? 'GET';
    res.setHeader('x-amz-request-id', ctx.requestId);
    if (verifier && ctx.authenticate && req.headers.authorization === undefined && url.searchParams.has('X-Amz-Signature')) {
      ctx.authenticate = async (body) => {
        const outcome = await verifier.verifyPresigned({ method, rawUrl: req.url ?? '/', headers: req.headers, body });
        if ('kind' in outcome) throw authFailureError(outcome, 'rest-json');
        ctx.accessKeyId = outcome.accessKeyId;
      };
    }
    // A body signed chunk by chunk: once the headers' (seed) signature verifies, so must every chunk's.
    const content = req.headers['x-amz-content-sha256'];
    if (verifier && ctx.authenticate && (content === SIGNED_CHUNKS || content === SIGNED_CHUNKS_TRAILER)) {
      const seeded = ctx.authenticate;
      ctx.authenticate = async (raw) => {
        await seeded(raw);
        const signing = verifier.chunkSigning(req.headers);
        if (signing && !chunkSignaturesMatch(parseAwsChunked(raw), signing, content === SIGNED_CHUNKS_TRAILER)) throw s3Error('SignatureDoesNotMatch');
      };
    }
    try {
      const r: S3Request = parseRequest(req);
      if (r.bucket === '') {
        if (method !== 'GET') throw s3Error('MethodNotAllowed', { Method: method, ResourceType: 'SERVICE' });
        await listBuckets(req, res, objects, ctx);
      } else if (r.key === '') {
        await bucketOperation(req, res, r, objects, ctx);
      } else {
        await objectOperation(req, res, r, objects, ctx);
      }
    } catch (e) {
      // Past the server's request memory budget: S3's answer to too much at once, which clients retry.
      const refused = e instanceof BodyBudgetExhaustedError;
      if (!(e instanceof S3Error) && !refused) logger.error('S3 request failed', { error: e instanceof Error ? e.stack : String(e) });
      const err = e instanceof S3Error ? e : refused ? s3Error('SlowDown') : s3Error('InternalError');
      if (!req.complete) req.resume();
      if (res.headersSent) res.destroy();
      else sendError(res, method, err, ctx.requestId);
    }
  };
  return {
    service: {
      signingNames: ['s3'],
      // Unsigned: only what names S3 in its Host (a presigned URL names it in its query).
      claims: (req) => isVirtualHost(req.headers.host),
      handle,
    },
  };
}

async function listBuckets(req: IncomingMessage, res: ServerResponse, objects: S3Objects, ctx: RequestContext): Promise<void> {
  req.resume();
  await authenticate(ctx, Buffer.alloc(0));
  const buckets = await objects.store.listBuckets(ctx.accountId);
  sendXml(res, 200, 'ListAllMyBucketsResult', {
    Owner: { ID: ctx.accountId, DisplayName: 'stagecraft' },
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdMs).toISOString(), BucketRegion: b.region })) },
  });
}
