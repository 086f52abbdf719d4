// Validates and extracts a function's code zip with AWS's limits: 250 MB unzipped, entries that
// would escape the code directory (`..`, absolute paths, symlinks pointing outside) rejected.
import yauzl from 'yauzl';
import { mkdirSync, writeFileSync, symlinkSync, chmodSync } from 'node:fs';
import { dirname, resolve, posix } from 'node:path';
import { awsError, type AwsError } from '../core/errors.js';

export const MAX_UNZIPPED_BYTES = 262_144_000;
const MAX_ENTRIES = 100_000;

const unzipError = (): AwsError =>
  awsError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');

interface Entry {
  name: string;
  isDir: boolean;
  isSymlink: boolean;
  mode: number;
  data: Buffer;
}

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) => {
    // decodeStrings off: yauzl would reject unsafe names with a vague error; we check them ourselves.
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, file) => (err || !file ? fail(unzipError()) : ok(file)));
  });
}

/** Reads every entry, enforcing the limits; throws AWS's error for the first problem found. */
async function readEntries(zip: Buffer): Promise<Entry[]> {
  const file = await openZip(zip);
  const entries: Entry[] = [];
  let total = 0;
  return new Promise((ok, fail) => {
    const stop = (e: AwsError) => {
      file.close();
      fail(e);
    };
    file.on('error', () => stop(unzipError()));
    file.on('end', () => ok(entries));
    file.on('entry', (entry: yauzl.Entry) => {
      if (entries.length >= MAX_ENTRIES) return stop(awsError('InvalidParameterValueException', `Code package has more than ${MAX_ENTRIES} files.`));
      total += entry.uncompressedSize;
      if (total > MAX_UNZIPPED_BYTES) return stop(awsError('InvalidParameterValueException', `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`));
      const name = (entry.fileName as unknown as Buffer).toString('utf8').replace(/\\/g, '/');
      if (isUnsafePath(name)) return stop(awsError('InvalidParameterValueException', `Could not unzip uploaded file: entry '${name}' points outside the code directory.`));
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const isDir = name.endsWith('/');
      const isSymlink = (mode & 0o170000) === 0o120000;
      if (isDir) {
        entries.push({ name, isDir, isSymlink: false, mode, data: Buffer.alloc(0) });
        file.readEntry();
        return;
      }
      file.openReadStream(entry, (err, stream) => {
        if (err || !stream) return stop(unzipError());
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', () => stop(unzipError()));
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          if (isSymlink) {
            const target = data.toString('utf8');
            const resolved = posix.normalize(posix.join(posix.dirname(name), target));
            if (target.startsWith('/') || resolved.startsWith('..') || resolved === '..') {
              return stop(awsError('InvalidParameterValueException', `Could not unzip uploaded file: symbolic link '${name}' points outside the code directory.`));
            }
          }
          entries.push({ name, isDir, isSymlink, mode, data });
          file.readEntry();
        });
      });
    });
    file.readEntry();
  });
}

function isUnsafePath(name: string): boolean {
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\0')) return true;
  return name.split('/').some((part) => part === '..');
}

/** Checks the zip and returns its unzipped size. */
export async function inspectZip(zip: Buffer): Promise<{ unzippedSize: number; files: string[] }> {
  const entries = await readEntries(zip);
  return { unzippedSize: entries.reduce((n, e) => n + e.data.length, 0), files: entries.filter((e) => !e.isDir).map((e) => e.name) };
}

/** Extracts into `dir` (which must exist and be empty). Files keep their executable bit; all are read-only. */
export async function extractZip(zip: Buffer, dir: string): Promise<void> {
  const entries = await readEntries(zip);
  const root = resolve(dir);
  for (const e of entries) {
    const target = resolve(root, e.name);
    if (target !== root && !target.startsWith(root + '/')) throw unzipError();
    if (e.isDir) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    if (e.isSymlink) {
      symlinkSync(e.data.toString('utf8'), target);
      continue;
    }
    writeFileSync(target, e.data);
    const executable = (e.mode & 0o111) !== 0;
    chmodSync(target, executable ? 0o555 : 0o444);
  }
}
