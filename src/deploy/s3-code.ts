// Code in S3 (CodeUri s3://…, {Bucket, Key}, ContentUri, Code {S3Bucket, S3Key}): Lambda reads the
// object itself; the deploy reads it first, for its SHA-256 (so unchanged code is left alone, as
// with local code) and so that a missing object fails the deploy before anything changes.
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { ConnectionSettings } from './clients.js';
import type { CodeSource } from './function-spec.js';
import type { Issues } from './issues.js';
import type { CodePackage } from './package.js';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** Fills in the hash of every S3 package of `sources` (logical ID → code); an object that can't be read is a located error. */
export async function resolveS3Packages(sources: { logicalId: string; code: CodeSource }[], packages: Map<string, CodePackage>, settings: ConnectionSettings, issues: Issues): Promise<void> {
  for (const { logicalId, code } of sources) {
    const pkg = packages.get(logicalId);
    if (code.kind !== 's3' || !pkg?.s3 || pkg.sha256) continue;
    const path = `/${encodeURIComponent(code.bucket)}/${code.objectKey.split('/').map(encodeURIComponent).join('/')}`;
    const answer = await getObject(settings, new URL(path, settings.endpoint));
    const body = Buffer.from(await answer.arrayBuffer());
    if (answer.status !== 200) {
      const xml = body.toString('utf8');
      const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
      const message = field('Message').replace(/\.$/, '');
      issues.error(`${code.display} can't be read from S3: ${field('Code') || `HTTP ${answer.status}`}${message ? `: ${message}` : ''}`, code.templatePath, code.loc);
      continue;
    }
    pkg.sha256 = createHash('sha256').update(body).digest('base64');
  }
}

/** A signed GetObject, its body as bytes. */
async function getObject(settings: ConnectionSettings, url: URL): Promise<Response> {
  const signer = new SignatureV4({ service: 's3', region: settings.region, credentials: settings.credentials, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'GET', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: {},
    headers: { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256 },
  });
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers.host;
  return fetch(url, { headers });
}
