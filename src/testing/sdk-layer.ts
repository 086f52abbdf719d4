// Test support: a Lambda layer holding one AWS SDK v3 client and what it needs, copied from this
// project's node_modules (functions here get no SDK of their own, unlike on AWS), so a function can
// call the server the way functions written for AWS do.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from './server.js';
import { makeZip } from './zip.js';

const modulesDir = join(repoRoot, 'node_modules');

/** Where Node would find `name` from `from` (a package directory), or undefined. */
function resolvePackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The package and its runtime dependencies, as directories. */
function closure(name: string): string[] {
  const seen = new Set<string>();
  const walk = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const found = resolvePackage(dep, dir);
      if (found) walk(found);
    }
  };
  const root = resolvePackage(name, repoRoot);
  if (!root) throw new Error(`${name} is not installed`);
  walk(root);
  return [...seen];
}

/** A layer zip with `nodejs/node_modules/{package}` and its dependencies (type declarations and source maps left out). */
export async function sdkLayerZip(name: string): Promise<Buffer> {
  const files: Record<string, Buffer> = {};
  const add = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist-types') add(path);
      } else if (!entry.name.endsWith('.d.ts') && !entry.name.endsWith('.map')) {
        files[`nodejs/node_modules/${relative(modulesDir, path)}`] = readFileSync(path);
      }
    }
  };
  for (const dir of closure(name)) add(dir);
  return makeZip(files);
}
