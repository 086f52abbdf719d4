// S3 tag sets (bucket and object tagging): the Tagging document and the x-amz-tagging header read
// and checked against S3's limits, and the Tagging document answered.
import type { S3Tag } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import { elements, parseDocument, unescapeXml, type XmlObject } from './xml.js';

/** S3's limits: 50 tags on a bucket, 10 on an object; keys of 1 to 128 characters, values of up to 256. */
export const MAX_BUCKET_TAGS = 50;
export const MAX_OBJECT_TAGS = 10;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
/** AWS's tag characters: letters, numbers and spaces in any script, and `_ . : / = + - @`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

type Kind = 'bucket' | 'object';

function checkTags(tags: S3Tag[], kind: Kind): S3Tag[] {
  if (kind === 'object' && tags.length > MAX_OBJECT_TAGS) throw s3Error('BadRequest', {}, `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`);
  if (kind === 'bucket' && tags.length > MAX_BUCKET_TAGS) throw s3Error('BadRequest', {}, `Bucket tag count cannot be greater than ${MAX_BUCKET_TAGS}`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw s3Error('InvalidTag', { TagKey: key }, 'Cannot provide multiple Tags with the same key');
    seen.add(key);
    if (key.toLowerCase().startsWith('aws:')) {
      throw s3Error('InvalidTag', { TagKey: key }, kind === 'bucket' ? 'System tags cannot be added/updated by requester' : 'Your TagKey cannot be prefixed with aws:');
    }
    if ([...key].length > MAX_KEY_CHARS) throw s3Error('InvalidTag', { TagKey: key }, `The TagKey you have provided is too long, max ${MAX_KEY_CHARS}`);
    if ([...value].length > MAX_VALUE_CHARS) throw s3Error('InvalidTag', { TagKey: key, TagValue: value }, `The TagValue you have provided is too long, max ${MAX_VALUE_CHARS}`);
    if (!key || !TAG_TEXT.test(key)) throw s3Error('InvalidTag', { TagKey: key }, 'The TagKey you have provided is invalid');
    if (!TAG_TEXT.test(value)) throw s3Error('InvalidTag', { TagKey: key, TagValue: value }, 'The TagValue you have provided is invalid');
  }
  return tags;
}

/** A PutBucketTagging / PutObjectTagging body: `<Tagging><TagSet><Tag><Key/><Value/></Tag>…`. */
export function parseTagging(body: Buffer, kind: Kind): S3Tag[] {
  const doc = parseDocument(body, 'Tagging');
  const set = child(doc, 'TagSet');
  const tags = elements(set, 'Tag').map((t) => ({ key: unescapeXml(child(t, 'Key')), value: unescapeXml(child(t, 'Value')) }));
  return checkTags(tags, kind);
}

/** The content of the one `<name>` in `xml`, as written (a value keeps its spaces); `<name/>` is empty (SDKs write empty elements so). */
function child(xml: string, name: string): string {
  const found = elements(xml, name);
  const empty = new RegExp(`<(?:\\w+:)?${name}\\s*/>`).test(xml);
  if (found.length + (empty ? 1 : 0) !== 1) throw s3Error('MalformedXML');
  return found[0] ?? '';
}

/** `x-amz-tagging` on PutObject, CopyObject and CreateMultipartUpload: URL-encoded `k=v&k2=v2`. */
export function parseTaggingHeader(value: string | undefined): S3Tag[] {
  if (value === undefined || value === '') return [];
  const tags = [...new URLSearchParams(value)].map(([key, v]) => ({ key, value: v }));
  if (new Set(tags.map((t) => t.key)).size !== tags.length) {
    throw s3Error('InvalidArgument', { ArgumentName: 'x-amz-tagging', ArgumentValue: value },
      "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
  }
  return checkTags(tags, 'object');
}

export const taggingDocument = (tags: S3Tag[]): XmlObject => ({ TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } });
