// Function log lines stored from a worker thread (log-append-thread.ts) with its own connection to
// the same SQLite file. At load, inserting every START/END/REPORT line took about a tenth of the
// server's main thread; posting a batch to the worker costs a small fraction of that. Batches are
// stored in the order they were given. If the worker cannot start or dies, batches are stored on
// the main thread through the fallback store instead, so no line is lost to a broken worker.
import { Worker } from 'node:worker_threads';
import { logger } from '../../core/logger.js';
import type { LogAppender, LogsScope, EventBatch } from '../logs-store.js';
import type { SqliteDb } from './database.js';

export interface AppendRequest {
  id: number;
  items: { scope: LogsScope; batch: EventBatch }[];
  ingestionMs: number;
}

export interface AppendReply {
  id: number;
  error?: string;
}

interface Pending {
  request: AppendRequest;
  resolve(): void;
  reject(e: Error): void;
}

export class ThreadedLogAppender implements LogAppender {
  readonly #fallback: LogAppender;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  /** Settles after the last batch given (batches are stored in order). */
  #last: Promise<void> = Promise.resolve();
  #nextId = 1;
  #closed = false;

  /** `db` must be a file database (the worker opens the same file); `fallback` writes through `db` itself. */
  constructor(db: SqliteDb, fallback: LogAppender) {
    this.#fallback = fallback;
    if (db.memory) return;
    try {
      const worker = new Worker(new URL('./log-append-thread.js', import.meta.url), { workerData: { path: db.name } });
      worker.on('message', (reply: AppendReply) => this.#settle(reply));
      worker.on('error', (e) => this.#abandon(worker, e));
      worker.on('exit', (code) => this.#abandon(worker, new Error(`log writer thread exited with code ${code}`)));
      worker.unref(); // only pending batches keep the process alive (see appendMany and #settle)
      this.#worker = worker;
    } catch (e) {
      logger.warn('log writer thread unavailable; function logs are stored on the main thread', { error: String(e) });
    }
  }

  /** Whether batches go to the worker thread (false once it failed). */
  get threaded(): boolean {
    return this.#worker !== undefined;
  }

  appendMany(items: { scope: LogsScope; batch: EventBatch }[], ingestionMs: number): Promise<void> {
    const worker = this.#worker;
    if (!worker || this.#closed) return this.#fallback.appendMany(items, ingestionMs);
    const stored = new Promise<void>((resolve, reject) => {
      const request: AppendRequest = { id: this.#nextId++, items, ingestionMs };
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(request.id, { request, resolve, reject });
      worker.postMessage(request);
    });
    this.#last = stored.catch(() => undefined);
    return stored;
  }

  /** Stops the worker once everything given to it is stored. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!worker) return;
    await this.#last;
    this.#worker = undefined;
    await worker.terminate();
  }

  #settle(reply: AppendReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (reply.error === undefined) pending.resolve();
    else pending.reject(new Error(reply.error));
  }

  /**
   * The worker is gone: what it had not answered for is stored here, and so is everything after.
   * (A batch whose transaction committed just before the thread died would be stored twice; a
   * thread dies that way only with the whole process.)
   */
  #abandon(worker: Worker, e: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    if (!this.#closed) logger.error('log writer thread failed; function logs are now stored on the main thread', { error: e.message });
    const left = [...this.#pending.values()].sort((a, b) => a.request.id - b.request.id);
    this.#pending.clear();
    for (const p of left) this.#fallback.appendMany(p.request.items, p.request.ingestionMs).then(p.resolve, p.reject);
  }
}
