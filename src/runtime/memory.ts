// Resident memory of an environment's process tree, read from /proc (Linux).
import { readFile } from 'node:fs/promises';

const PAGE_SIZE = 4096;
const MAX_PROCESSES = 256;

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function rssOf(pid: number): Promise<number> {
  try {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1]) * PAGE_SIZE || 0;
  } catch {
    return 0;
  }
}

/** The processes `levels` generations below `pid` (the runtime under the sandbox's supervisors). */
export async function descendants(pid: number, levels: number): Promise<number[]> {
  let level = [pid];
  for (let i = 0; i < levels && level.length > 0; i++) {
    level = (await Promise.all(level.map(childrenOf))).flat();
  }
  return level;
}

/** Sum of the RSS of the given processes and all their descendants, in bytes. */
export async function treeRssBytes(roots: number[]): Promise<number> {
  let level = roots;
  let total = 0;
  let seen = 0;
  while (level.length > 0 && seen < MAX_PROCESSES) {
    seen += level.length;
    const [sizes, next] = await Promise.all([Promise.all(level.map(rssOf)), Promise.all(level.map(childrenOf))]);
    for (const s of sizes) total += s;
    level = next.flat();
  }
  return total;
}
