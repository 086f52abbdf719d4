// Test support: the web console's browser modules loaded in Node as the browser gets them — the
// files of console/ and, beside them, the CLI's shared modules the server serves (compiled) — so
// modules that import those (stage-actions.js, promotion-preview.js) run in Node too.
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSharedModule, SHARED_CONSOLE_MODULES } from '../server/console.js';
import { repoRoot } from './server.js';
import type { TempDirs } from './temp-dirs.js';

/** A loader of console modules by file name (untyped JavaScript), from a folder laid out as the server serves it. */
export function consoleModules(dirs: TempDirs): (name: string) => Promise<any> {
  let dir: string | undefined;
  return (name) => {
    if (!dir) {
      dir = dirs.removeLater(mkdtempSync(join(tmpdir(), 'stagecraft-console-')));
      const source = join(repoRoot, 'console');
      for (const file of readdirSync(source).filter((f) => f.endsWith('.js'))) copyFileSync(join(source, file), join(dir, file));
      for (const file of SHARED_CONSOLE_MODULES) writeFileSync(join(dir, file), readSharedModule(file));
      // The copies are ES modules as they are under the repository's package.json.
      writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    }
    return import(pathToFileURL(join(dir, name)).href);
  };
}
