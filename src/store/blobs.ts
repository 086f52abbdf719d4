// Content-addressed code storage: each zip is kept once under its SHA-256, and extracted once
// into a read-only tree that every version with that code shares. Embedded, the zips live in the
// data dir; in a cluster they live in the shared database (a ZipStorage) and the data dir keeps a
// cache of zips and trees, filled from the database the first time a node needs them.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

export interface BlobInfo {
  /** Hex digest: the storage key. */
  hash: string;
  /** Base64 digest: Lambda's CodeSha256. */
  sha256Base64: string;
  size: number;
}

/** Where zips are kept when not (only) in the data dir: the cluster's database. */
export interface ZipStorage {
  /** Whether the zip is there; when it is, its age starts again (the collector's grace: it is about to be referenced). */
  touch(hash: string): Promise<boolean>;
  /** Stores the zip unless it is there already. */
  put(hash: string, zip: Buffer): Promise<void>;
  get(hash: string): Promise<Buffer | undefined>;
  /** Removes the zips older than `cutoffMs` that nothing references (re-checked as each goes). */
  collect(keep: ReadonlySet<string>, cutoffMs: number): Promise<{ count: number; bytes: number }>;
}

/** The key of the tree merging these layers' content in order (kept beside the blobs' own trees). */
export function layeredTreeKey(hashes: string[]): string {
  return createHash('sha256').update(`layers:${hashes.join(':')}`).digest('hex');
}

export class BlobStore {
  readonly #zips: string;
  readonly #trees: string;
  readonly #shared?: ZipStorage;

  constructor(dataDir: string, shared?: ZipStorage) {
    this.#shared = shared;
    this.#zips = join(dataDir, 'code', 'zips');
    this.#trees = join(dataDir, 'code', 'trees');
    mkdirSync(this.#zips, { recursive: true });
    mkdirSync(this.#trees, { recursive: true });
    // Scope module resolution: a handler's `.js` is CommonJS unless its own package.json says otherwise,
    // whatever package.json sits above the data dir.
    const scope = join(this.#trees, 'package.json');
    if (!existsSync(scope)) writeFileSync(scope, '{"type":"commonjs"}\n');
  }

  static describe(zip: Buffer): BlobInfo {
    const digest = createHash('sha256').update(zip).digest();
    return { hash: digest.toString('hex'), sha256Base64: digest.toString('base64'), size: zip.length };
  }

  zipPath(hash: string): string {
    return join(this.#zips, `${hash}.zip`);
  }

  treePath(hash: string): string {
    // (asked on every invocation: the joined path is kept rather than built each time)
    let path = this.#treePaths.get(hash);
    if (path === undefined) {
      path = join(this.#trees, hash);
      if (this.#treePaths.size >= 10_000) this.#treePaths.clear();
      this.#treePaths.set(hash, path);
    }
    return path;
  }

  readonly #treePaths = new Map<string, string>();

  /** Trees are immutable once committed, so a positive answer is remembered (no disk access on invoke). */
  readonly #knownTrees = new Set<string>();

  hasTree(hash: string): boolean {
    if (this.#knownTrees.has(hash)) return true;
    const present = existsSync(this.treePath(hash));
    if (present) this.#knownTrees.add(hash);
    return present;
  }

  /** The zip, from the data dir or else from the shared storage (then cached in the data dir). */
  async readZip(hash: string): Promise<Buffer> {
    const path = await this.localZip(hash);
    if (!path) throw new Error(`code blob ${hash} is missing`);
    return readFileSync(path);
  }

  /** The path of the zip in the data dir, fetched from the shared storage when needed; undefined when it exists nowhere. */
  async localZip(hash: string): Promise<string | undefined> {
    const path = this.zipPath(hash);
    if (existsSync(path)) return path;
    const zip = await this.#shared?.get(hash);
    if (!zip) return undefined;
    this.#writeLocal(path, zip);
    return path;
  }

  /**
   * Stores the zip in the data dir and in the shared storage (idempotent). A zip already there is
   * touched: the caller is about to reference it, and the collector spares blobs younger than its grace.
   */
  async putZip(zip: Buffer, info: BlobInfo): Promise<void> {
    const target = this.zipPath(info.hash);
    if (!existsSync(target)) this.#writeLocal(target, zip);
    else this.#touch(target);
    if (this.#shared && !(await this.#shared.touch(info.hash))) await this.#shared.put(info.hash, zip);
  }

  #touch(path: string): void {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // removed meanwhile: written again below or by the next upload
    }
  }

  /** The shared storage's part of a collection (nothing without one). */
  collectShared(keep: ReadonlySet<string>, cutoffMs: number): Promise<{ count: number; bytes: number }> {
    return this.#shared?.collect(keep, cutoffMs) ?? Promise.resolve({ count: 0, bytes: 0 });
  }

  get zipsDir(): string {
    return this.#zips;
  }

  get treesDir(): string {
    return this.#trees;
  }

  /**
   * Moves the local zip and tree of `hash` into `trash` (the collector's work, then removed off the
   * request path). Synchronous: no upload can touch the zip between the collector's check and this.
   */
  moveLocal(hash: string, trash: string): void {
    this.#knownTrees.delete(hash);
    for (const [from, name] of [[this.zipPath(hash), `${hash}.zip`], [this.treePath(hash), hash]]) {
      if (existsSync(from)) renameSync(from, join(trash, name));
    }
  }

  /** Write to a temp name, then rename: never a half-written blob. */
  #writeLocal(target: string, zip: Buffer): void {
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, zip);
    renameSync(tmp, target);
  }

  /** Publishes a fully extracted temp directory as the tree for `hash` (atomic rename). */
  commitTree(hash: string, extractedDir: string): void {
    const target = this.treePath(hash);
    if (existsSync(target)) {
      rmSync(extractedDir, { recursive: true, force: true });
      return;
    }
    try {
      renameSync(extractedDir, target);
    } catch (e) {
      rmSync(extractedDir, { recursive: true, force: true });
      if (!existsSync(target)) throw e;
    }
  }

  /** A fresh temp directory beside the trees (same filesystem, so commitTree can rename). */
  tempDir(): string {
    const dir = join(this.#trees, `.tmp-${randomBytes(8).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}
