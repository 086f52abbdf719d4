// Accepting a function's code: size limits, zip checks, content-addressed storage and the
// one-time extraction every version with the same code shares.
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { FunctionCode } from '../aws/generated/lambda.js';
import { awsError } from '../core/errors.js';
import { BlobStore, layeredTreeKey, type BlobInfo } from '../store/blobs.js';
import { extractZip, inspectZip } from './code-package.js';
import { invalidParameter } from './errors.js';
import { linkTree } from '../runtime/link-tree.js';
import type { S3ObjectReader } from '../s3/objects.js';

export const MAX_ZIPPED_BYTES = 52_428_800;

/** Extracts the code tree for `hash` if it is missing (e.g. a data dir restored without trees). */
export async function ensureTree(blobs: BlobStore, hash: string): Promise<string> {
  if (!blobs.hasTree(hash)) {
    const tmp = blobs.tempDir();
    await extractZip(await blobs.readZip(hash), tmp);
    blobs.commitTree(hash, tmp);
  }
  return blobs.treePath(hash);
}

/** Merged layer trees being built, by path: concurrent cold starts of one function build it once. */
const building = new Map<string, Promise<string>>();

/**
 * The layers' content merged in order into one read-only tree, as AWS extracts layers into /opt
 * (a later layer's file replaces an earlier one's). Built once per ordered list of content hashes,
 * of hard links into the layers' own extracted trees, and kept beside them under a key of its own.
 */
export async function ensureLayeredTree(blobs: BlobStore, hashes: string[]): Promise<string> {
  const key = layeredTreeKey(hashes);
  const target = blobs.treePath(key);
  if (blobs.hasTree(key)) return target;
  let pending = building.get(target);
  if (!pending) {
    pending = (async () => {
      const tmp = blobs.tempDir();
      try {
        for (const hash of hashes) await linkTree(await ensureTree(blobs, hash), tmp, { merge: true });
      } catch (e) {
        await rm(tmp, { recursive: true, force: true });
        throw e;
      }
      blobs.commitTree(key, tmp);
      return target;
    })().finally(() => building.delete(target));
    building.set(target, pending);
  }
  return pending;
}

/** Validates, stores and extracts an uploaded zip; returns its digest facts. */
export async function acceptZip(blobs: BlobStore, zip: Buffer): Promise<BlobInfo> {
  if (zip.length > MAX_ZIPPED_BYTES) throw awsError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`);
  const info = BlobStore.describe(zip);
  if (blobs.hasTree(info.hash)) {
    await blobs.putZip(zip, info); // already here; in a cluster, make sure the database has it too
    return info;
  }
  await inspectZip(zip);
  const tmp = blobs.tempDir();
  try {
    await extractZip(zip, tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  await blobs.putZip(zip, info);
  blobs.commitTree(info.hash, tmp);
  return info;
}

/** The zip a CreateFunction/UpdateFunctionCode (or PublishLayerVersion) request carries, read from S3 when it names an object there, or AWS-shaped guidance. */
export async function zipFromRequest(
  code: Pick<FunctionCode, 'ZipFile' | 'S3Bucket' | 'S3Key' | 'S3ObjectVersion' | 'ImageUri'>, s3: S3ObjectReader | undefined, accountId: string,
): Promise<Buffer> {
  if (code.ZipFile) return code.ZipFile;
  if (code.S3Bucket || code.S3Key) return zipFromS3(code, s3, accountId);
  if (code.ImageUri) throw invalidParameter('Container image functions (ImageUri) are not supported by Stagecraft yet. Use a zip package (PackageType Zip).');
  throw invalidParameter('Please provide a source for function code.');
}

/** The object S3Bucket/S3Key name, as Lambda fetches it (GetObject's failures in its message). */
async function zipFromS3(code: Pick<FunctionCode, 'S3Bucket' | 'S3Key' | 'S3ObjectVersion'>, s3: S3ObjectReader | undefined, accountId: string): Promise<Buffer> {
  if (!code.S3Bucket || !code.S3Key || !s3) throw invalidParameter('Please provide a source for function code.');
  const failed = (s3Code: string, message: string) => invalidParameter(`Error occurred while GetObject. S3 Error Code: ${s3Code}. S3 Error Message: ${message}`);
  // Buckets here are not versioned: only the null version exists.
  if (code.S3ObjectVersion !== undefined && code.S3ObjectVersion !== 'null') throw failed('NoSuchVersion', 'The specified version does not exist.');
  const object = await s3.readObject(accountId, code.S3Bucket, code.S3Key);
  if (Buffer.isBuffer(object)) return object;
  throw object.missing === 'NoSuchBucket' ? failed('NoSuchBucket', 'The specified bucket does not exist') : failed('NoSuchKey', 'The specified key does not exist.');
}
