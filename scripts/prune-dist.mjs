// Removes compiled files whose TypeScript source is gone (renamed or deleted), so an incremental
// build never leaves stale modules — or stale tests, which `npm test` would still run — in dist/.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = join(root, 'dist');

/** dist/a/b.js(.map) → a/b.ts, dist/a/b.mjs(.map) → a/b.mts */
function sourceOf(file) {
  const rel = relative(dist, file).replace(/\.map$/, '');
  if (rel.endsWith('.mjs')) return join(root, rel.replace(/\.mjs$/, '.mts'));
  if (rel.endsWith('.js')) return join(root, rel.replace(/\.js$/, '.ts'));
  return undefined;
}

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else {
      const source = sourceOf(path);
      if (source && !existsSync(source)) rmSync(path);
    }
  }
}

if (existsSync(dist)) walk(dist);
