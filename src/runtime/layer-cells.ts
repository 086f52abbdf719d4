// Which functions with layers a pre-started cell may serve. A cell's /opt is a mount fixed when it
// starts (sandboxed: an empty directory of its own), so specialisation hard-links the function's
// merged layer tree into it, at a cost that grows with the tree's entries (~35 µs each here: 1,000
// entries ≈ 35 ms, against the ~50 ms a cell saves). So a cell serves a layered function when,
// sandboxed, its layers have at most MAX_LINKED_ENTRIES entries; when they hold external
// extensions (at most MAX_EXTENSIONS), only a cell of a kind started behind the extensions'
// launcher does (extension-launch.ts), because they must run in the sandbox and outlive the
// runtime. Each merged tree is surveyed once, in the background: until its survey is done, its
// functions start fresh. Unsandboxed, nothing is linked (the search paths name the
// merged tree's host directory, as for a fresh process).
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_EXTENSIONS } from './extensions-api.js';
import type { RuntimeDescriptor } from './runtimes.js';

/** Entries (files, directories, links) of a merged layer tree that specialisation may hard-link. */
export const MAX_LINKED_ENTRIES = 1000;
/** Surveys kept (one per distinct merged tree; forgotten all at once beyond this). */
const MAX_SURVEYS = 1000;

interface Survey {
  /** Entries counted, up to MAX_LINKED_ENTRIES + 1. */
  entries: number;
  /** External extensions (executables in extensions/). */
  extensions: number;
}

export class LayerCells {
  readonly #surveys = new Map<string, Survey | 'pending'>();

  /**
   * Which cells may serve a function of `runtime` with these merged layers (`sandboxed`: the tree
   * is hard-linked into the cell's /opt): 'plain' ones, those behind the extensions' launcher
   * ('extensions'), or none (undefined; also while the tree's survey runs, started by the first call).
   */
  fits(optDir: string, runtime: RuntimeDescriptor, sandboxed: boolean): 'plain' | 'extensions' | undefined {
    if (sandboxed && !cellHasOpt(runtime)) return undefined;
    const survey = this.#surveys.get(optDir);
    if (survey === undefined) this.#survey(optDir);
    if (survey === undefined || survey === 'pending') return undefined;
    if (sandboxed && survey.entries > MAX_LINKED_ENTRIES) return undefined;
    if (survey.extensions === 0) return 'plain';
    // Too many: a fresh launch reports Extension.LaunchError.
    return survey.extensions <= MAX_EXTENSIONS ? 'extensions' : undefined;
  }

  #survey(optDir: string): void {
    if (this.#surveys.size >= MAX_SURVEYS) this.#surveys.clear();
    this.#surveys.set(optDir, 'pending');
    void Promise.all([countEntries(optDir, MAX_LINKED_ENTRIES + 1), findExtensions(optDir)]).then(
      ([entries, extensions]) => this.#surveys.set(optDir, { entries, extensions: extensions.length }),
      // Unreadable: such functions keep starting fresh (the launch reports what is wrong).
      () => this.#surveys.set(optDir, { entries: Infinity, extensions: Infinity }),
    );
  }
}

/**
 * Whether a sandboxed cell of `runtime` gets an /opt of its own: not when its interpreter is
 * installed under /opt (bound in place, it would need a mount point inside the cell's /opt).
 */
export function cellHasOpt(runtime: RuntimeDescriptor): boolean {
  return !runtime.hostPaths.some((p) => p === '/opt' || p.startsWith('/opt/'));
}

/** The regular, executable files directly in the layers' extensions/ directory, sorted (AWS starts them in that order). */
export async function findExtensions(optDir: string): Promise<string[]> {
  const dir = path.join(optDir, 'extensions');
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.sort()) {
    const s = await stat(path.join(dir, name)).catch(() => undefined);
    if (s?.isFile() && (s.mode & 0o111) !== 0) found.push(name);
  }
  return found;
}

/** The entries below `dir`, counting stopped once `limit` is reached. */
async function countEntries(dir: string, limit: number): Promise<number> {
  let count = 0;
  const pending = [dir];
  while (pending.length > 0 && count < limit) {
    const current = pending.pop()!;
    for (const e of await readdir(current, { withFileTypes: true })) {
      count++;
      if (e.isDirectory()) pending.push(path.join(current, e.name));
    }
  }
  return Math.min(count, limit);
}
