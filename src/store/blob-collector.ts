// Garbage collection of blobs: removes the zips and extracted trees in this node's data dir that
// nothing references any more (deleted functions, versions, layer versions, S3 objects, finished
// multipart uploads' parts). Runs at start and then periodically, on a timer, never on the request
// path. Spared: referenced hashes, trees live execution environments run from, and anything
// touched within the grace period (an upload whose reference is not committed yet: putZip touches
// a zip it finds already there).
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { layeredTreeKey, type BlobStore } from './blobs.js';
import type { BlobReferences } from './rows/blob-references.js';
import { logger } from '../core/logger.js';

export interface BlobCollectorOptions {
  blobs: BlobStore;
  references: () => Promise<BlobReferences>;
  /** Absolute tree paths live environments on this node run from (code and merged layers). */
  inUse: () => Iterable<string>;
  graceMs: number;
  intervalMs: number;
}

export interface Collected {
  count: number;
  bytes: number;
}

const HASH = /^[0-9a-f]{64}$/;

export class BlobCollector {
  readonly #o: BlobCollectorOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<Collected> | undefined;

  constructor(options: BlobCollectorOptions) {
    this.#o = options;
  }

  /** Collects once now (in the background) and then every interval. */
  start(): void {
    const run = () => void this.collect().catch((e: Error) => logger.warn('blob collection failed', { error: e.message }));
    this.#timer = setInterval(run, this.#o.intervalMs);
    this.#timer.unref();
    setImmediate(run);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** One pass (a pass already running is joined, not doubled). */
  collect(): Promise<Collected> {
    this.#running ??= this.#collect().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #collect(): Promise<Collected> {
    const { blobs, graceMs } = this.#o;
    const refs = await this.#o.references();
    const keep = new Set(refs.hashes);
    for (const list of refs.layerLists) keep.add(layeredTreeKey(list));
    const candidates = new Set<string>();
    for (const name of await readdir(blobs.zipsDir)) if (name.endsWith('.zip') && HASH.test(name.slice(0, -4))) candidates.add(name.slice(0, -4));
    for (const name of await readdir(blobs.treesDir)) if (HASH.test(name)) candidates.add(name);
    const trash = join(blobs.treesDir, '..', `.trash-${randomBytes(6).toString('hex')}`);
    await mkdir(trash, { recursive: true });
    let count = 0;
    try {
      // From here to the moves, no await: no environment starts and no upload lands in between.
      const live = new Set(this.#o.inUse());
      for (const hash of candidates) {
        if (keep.has(hash) || live.has(resolve(blobs.treePath(hash)))) continue;
        // Checked and moved in one synchronous step: an upload touching the zip cannot come between.
        const cutoff = Date.now() - graceMs;
        if (youngerThan(blobs.zipPath(hash), cutoff) || youngerThan(blobs.treePath(hash), cutoff)) continue;
        blobs.moveLocal(hash, trash);
        count++;
      }
      const bytes = count ? await sizeOf(trash) : 0;
      if (count) logger.info('unreferenced blobs removed from the data dir', { count, bytes });
      // In a cluster, every node runs this part too: the DELETE re-checks, so two nodes cannot take a kept row.
      const shared = await blobs.collectShared(refs.hashes, Date.now() - graceMs);
      if (shared.count) logger.info('unreferenced blobs removed from the database', shared);
      return { count: count + shared.count, bytes: bytes + shared.bytes };
    } finally {
      await rm(trash, { recursive: true, force: true });
    }
  }
}

function youngerThan(path: string, cutoffMs: number): boolean {
  const s = statSync(path, { throwIfNoEntry: false });
  return s !== undefined && s.mtimeMs > cutoffMs;
}

/** Bytes of the files under a directory (a merged layer tree's hard links count as files of their own). */
async function sizeOf(path: string): Promise<number> {
  const s = await lstat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const name of await readdir(path)) total += await sizeOf(join(path, name));
  return total;
}
