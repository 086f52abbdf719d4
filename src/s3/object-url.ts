// Where an S3 URL points (CloudFormation's TemplateURL, `s3://` URIs): the bucket and the key, for
// S3ObjectReader.getObject. AWS's hosts in both styles, this server's own path style and the
// `{bucket}.s3.localhost` host are understood; anything else is not an S3 object URL.
export interface S3ObjectLocation {
  bucket: string;
  key: string;
}

const AWS_VIRTUAL = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;
const LOCAL_VIRTUAL = /^(.+)\.s3(?:\.[a-z0-9-]+)?\.localhost$/;

export function parseS3ObjectUrl(text: string): S3ObjectLocation | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const decode = (s: string): string | undefined => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const path = url.pathname.slice(1);
  const host = url.hostname.toLowerCase();
  const inHost = url.protocol === 's3:' ? url.hostname : (AWS_VIRTUAL.exec(host) ?? LOCAL_VIRTUAL.exec(host))?.[1];
  if (url.protocol === 's3:' || inHost !== undefined) {
    const key = decode(path);
    return inHost && key ? { bucket: inHost, key } : undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Path style: AWS's s3.{region}.amazonaws.com, or any other host (this server's endpoint as a client reached it).
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  const bucket = decode(path.slice(0, slash));
  const key = decode(path.slice(slash + 1));
  return bucket && key ? { bucket, key } : undefined;
}
