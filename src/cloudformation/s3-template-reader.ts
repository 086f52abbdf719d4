// TemplateURL read from this server's S3, with CloudFormation's refusals (recorded against AWS):
// an `s3://` URI is "S3 error: Domain name specified in {bucket} is not a valid S3 domain", a URL
// of another host "TemplateURL must be a supported URL.", a missing object "S3 error: " and S3's
// message, a template over 1,000,000 bytes "Template may not exceed 1000000 bytes in size.".
import { awsError } from '../core/errors.js';
import { parseS3ObjectUrl, type S3ObjectLocation } from '../s3/object-url.js';
import type { S3ObjectReader } from '../s3/objects.js';
import { s3Error } from '../s3/errors.js';
import type { TemplateCaller, TemplateReader } from './stack-request.js';

/** CloudFormation's limit on a template read from S3 (a decimal megabyte, as its error names it). */
export const MAX_TEMPLATE_URL_BYTES = 1_000_000;

/** S3's hosts: AWS's (either style, any region) and this server's `{bucket}.s3.localhost`. */
const S3_HOST = /(?:^|\.)s3(?:[.-][a-z0-9-]+)*\.(?:amazonaws\.com(?:\.cn)?|localhost)$/;

const unsupported = () => awsError('ValidationError', 'TemplateURL must be a supported URL.');

/** Where the template is: an S3 host's URL, or a path-style URL to the host the request came to (this server). */
function templateLocation(text: string, requestHost: string | undefined): S3ObjectLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw unsupported();
  }
  if (url.protocol === 's3:') throw awsError('ValidationError', `S3 error: Domain name specified in ${url.hostname} is not a valid S3 domain`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw unsupported();
  const ours = requestHost !== undefined && url.host.toLowerCase() === requestHost.toLowerCase();
  const location = ours || S3_HOST.test(url.hostname.toLowerCase()) ? parseS3ObjectUrl(text) : undefined;
  if (!location) throw unsupported();
  return location;
}

export function s3TemplateReader(s3: S3ObjectReader): TemplateReader {
  return async (url: string, caller: TemplateCaller) => {
    const { bucket, key } = templateLocation(url, caller.host);
    const object = await s3.readObject(caller.accountId, bucket, key);
    if (!Buffer.isBuffer(object)) throw awsError('ValidationError', `S3 error: ${s3Error(object.missing).message}`);
    if (object.length > MAX_TEMPLATE_URL_BYTES) throw awsError('ValidationError', `Template may not exceed ${MAX_TEMPLATE_URL_BYTES} bytes in size.`);
    return object.toString('utf8');
  };
}
