// Function code packages: a directory zipped reproducibly (sorted entries, fixed timestamps, so
// unchanged code gives the same bytes and the same CodeSha256), a ready .zip as is, or InlineCode.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import type { CodeSource } from './function-spec.js';

/** Lambda's limit for a zip uploaded directly (not through S3). */
export const MAX_DIRECT_UPLOAD = 50 * 1024 * 1024;
/** Lambda's limit for the unzipped package. */
export const MAX_UNZIPPED = 250 * 1024 * 1024;
/** Never packaged: version control and tool state (`deploy --watch` ignores them too). */
export const NEVER_PACKAGED: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', '.stagecraft', '.aws-sam', '.DS_Store']);
const FIXED_TIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

export interface CodePackage {
  zip: Buffer;
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  sha256: string;
  files: number;
  unzippedBytes: number;
  /** Code in S3: Lambda reads it there (zip is empty; sha256 is the object's once resolveS3Packages has read it, else ''). */
  s3?: { S3Bucket: string; S3Key: string; S3ObjectVersion?: string };
}

export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

function listFiles(root: string): { name: string; path: string; mode: number; size: number }[] {
  const out: { name: string; path: string; mode: number; size: number }[] = [];
  const walk = (dir: string, prefix: string) => {
    const names = readdirSync(dir).sort();
    for (const name of names) {
      if (NEVER_PACKAGED.has(name)) continue;
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path); // follows symlinks: the package holds what they point at
      } catch {
        throw new PackageError(`${path} is a broken symbolic link`);
      }
      if (stat.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (stat.isFile()) out.push({ name: `${prefix}${name}`, path, mode: stat.mode & 0o111 ? 0o100755 : 0o100644, size: stat.size });
    }
  };
  walk(root, '');
  return out;
}

function zipEntries(entries: { name: string; data: Buffer; mode: number }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { mode: e.mode, mtime: FIXED_TIME, compress: true });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export function sha256Base64(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

export async function packageCode(source: CodeSource): Promise<CodePackage> {
  let zip: Buffer;
  let files = 1;
  let unzippedBytes = 0;
  if (source.kind === 's3') {
    return { zip: Buffer.alloc(0), sha256: '', files: 0, unzippedBytes: 0, s3: { S3Bucket: source.bucket, S3Key: source.objectKey, S3ObjectVersion: source.version } };
  }
  if (source.kind === 'zip') {
    zip = readFileSync(source.path);
    unzippedBytes = zip.length;
  } else if (source.kind === 'inline') {
    const data = Buffer.from(source.source);
    zip = await zipEntries([{ name: source.fileName, data, mode: 0o100644 }]);
    unzippedBytes = data.length;
  } else {
    const list = listFiles(source.path);
    if (!list.length) throw new PackageError(`${source.key} ${source.display} is an empty directory`);
    unzippedBytes = list.reduce((n, f) => n + f.size, 0);
    if (unzippedBytes > MAX_UNZIPPED) throw new PackageError(`${source.key} ${source.display} holds ${mb(unzippedBytes)}, above Lambda's ${mb(MAX_UNZIPPED)} unzipped limit`);
    files = list.length;
    zip = await zipEntries(list.map((f) => ({ name: f.name, data: readFileSync(f.path), mode: f.mode })));
  }
  if (zip.length > MAX_DIRECT_UPLOAD) throw new PackageError(`the code from ${source.display} zips to ${mb(zip.length)}, above Lambda's ${mb(MAX_DIRECT_UPLOAD)} limit for direct uploads`);
  return { zip, sha256: sha256Base64(zip), files, unzippedBytes };
}

/** The code a CreateFunction / UpdateFunctionCode / PublishLayerVersion carries: the zip, or its S3 location. */
export function codeOf(pkg: CodePackage): { ZipFile?: Buffer; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string } {
  return pkg.s3 ?? { ZipFile: pkg.zip };
}

/** The first 12 hex digits of a base64 SHA-256, as deploy messages show code hashes. */
export function shortSha(sha: string | undefined): string {
  return sha ? Buffer.from(sha, 'base64').toString('hex').slice(0, 12) : '?';
}

/** Packages code once per source (a deploy loads the stack twice). */
export async function packageOnce(code: CodeSource, packaged?: Map<string, CodePackage>): Promise<CodePackage> {
  const key = code.kind === 'inline' ? `inline:${code.fileName}:${code.source}` : code.kind === 's3' ? `s3:${code.display}:${code.version ?? ''}` : `${code.kind}:${code.path}`;
  const pkg = packaged?.get(key) ?? (await packageCode(code));
  packaged?.set(key, pkg);
  return pkg;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The files the handler's module may be in (none there is a likely typo); undefined when it is not module.function. */
export function handlerFileCandidates(handler: string, runtime: string): string[] | undefined {
  if (runtime.startsWith('ruby')) {
    // file.method or file.Module::Class.method
    const parts = handler.split('.');
    return (parts.length === 2 || parts.length === 3) && parts.every((p) => p !== '') ? [`${parts[0]}.rb`] : undefined;
  }
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return runtime.startsWith('nodejs') || runtime.startsWith('python') ? undefined : [];
  const module = handler.slice(0, dot);
  if (runtime.startsWith('nodejs')) return ['.js', '.mjs', '.cjs'].map((ext) => module + ext);
  if (runtime.startsWith('python')) return [`${module.replace(/\./g, '/')}.py`];
  return [];
}

/** The error type an invocation fails with when the handler is malformed or its file is missing, in the runtime's own terms. */
export function handlerFailure(runtime: string, problem: 'malformed' | 'missing'): string {
  if (runtime.startsWith('ruby')) return problem === 'malformed' ? 'Init<ArgumentError>' : 'Init<LoadError>';
  return problem === 'malformed' ? 'Runtime.MalformedHandlerName' : 'Runtime.ImportModuleError';
}
