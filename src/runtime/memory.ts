// Resident memory of an environment's process tree, read from /proc (Linux). Synchronous on
// purpose: these files are tiny and served from memory, and a synchronous read is one syscall
// where fs.promises costs thread-pool round trips and wake-ups of this process.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const PAGE_SIZE = 4096;
const MAX_PROCESSES = 256;
/** Runtimes that do not report their own memory are sampled at most this often when invocations end. */
const MEMORY_SAMPLE_MIN_MS = 100;

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssOf(pid: number): number {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'latin1');
    return Number(statm.split(' ')[1]) * PAGE_SIZE || 0;
  } catch {
    return 0;
  }
}

/** The processes `levels` generations below `pid` (the runtime under the sandbox's supervisors). */
export function descendants(pid: number, levels: number): number[] {
  let level = [pid];
  for (let i = 0; i < levels && level.length > 0; i++) level = level.flatMap(childrenOf);
  return level;
}

/** Sum of the RSS of the given processes and all their descendants, in bytes. */
export function treeRssBytes(roots: number[]): number {
  let level = roots;
  let total = 0;
  let seen = 0;
  while (level.length > 0 && seen < MAX_PROCESSES) {
    seen += level.length;
    for (const pid of level) total += rssOf(pid);
    level = level.flatMap(childrenOf);
  }
  return total;
}

/** The most memory an environment used: sampled from /proc now and then, or reported by its runtime with its answers. */
export class MemoryPeak {
  /** The largest RSS seen, bytes. */
  rss = 0;
  /** When memory was last sampled (performance.now()). */
  sampledAt = 0;

  /** Samples `proc`'s tree now (the running invocation `inv` used it too): its RSS, 0 when it cannot be read. */
  sample(proc: { rss(): number }, inv: { maxRss: number; finished: boolean } | undefined): number {
    this.sampledAt = performance.now();
    const rss = proc.rss();
    if (rss === 0) return 0;
    this.rss = Math.max(this.rss, rss);
    if (inv && !inv.finished) inv.maxRss = Math.max(inv.maxRss, rss);
    return rss;
  }

  /** Whether a runtime that does not report its own memory is due a sample at `now` (performance.now()). */
  sampleDue(now: number): boolean {
    return now - this.sampledAt >= MEMORY_SAMPLE_MIN_MS;
  }

  /** Memory the runtime reported itself with an answer (its peak RSS, bytes), for the invocation `inv` too. */
  reported(value: unknown, inv: { maxRss: number } | undefined): void {
    if (typeof value !== 'number' || !(value > 0)) return;
    if (value > this.rss) this.rss = value;
    if (inv && value > inv.maxRss) inv.maxRss = value;
  }
}
