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

/**
 * Sum of the RSS of `pid`'s descendants, skipping the first `skipLevels` levels of the tree (the
 * sandbox's own supervisor processes), in bytes.
 */
export async function treeRssBytes(pid: number, skipLevels = 0): Promise<number> {
  let level = [pid];
  for (let i = 0; i < skipLevels && level.length > 0; i++) {
    level = (await Promise.all(level.map(childrenOf))).flat();
  }
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
