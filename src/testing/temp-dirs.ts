// Test support: temporary directories (projects, CLI working directories) that a test file makes,
// removed once its tests are done.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs {
  /** A new empty directory. */
  make(prefix?: string): string;
  /** Removes `dir`, made elsewhere, with the others; returns it. */
  removeLater(dir: string): string;
}

/** Temporary directories for the test file that calls it (at top level). */
export function useTempDirs(): TempDirs {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const removeLater = (dir: string) => {
    dirs.push(dir);
    return dir;
  };
  return {
    make: (prefix = 'stagecraft-test-') => removeLater(mkdtempSync(join(tmpdir(), prefix))),
    removeLater,
  };
}
