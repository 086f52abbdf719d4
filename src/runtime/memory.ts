// Resident memory of an environment's process tree, read from /proc (Linux). Synchronous on
// purpose: these files are tiny and served from memory, and a synchronous read is one syscall
// where fs.promises costs thread-pool round trips and wake-ups of this process.
import { readFileSync } from 'node:fs';

const PAGE_SIZE = 4096;
const MAX_PROCESSES = 256;

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
