// What `stagecraft deploy --watch` watches: the template and stagecraft.yml, every function's
// CodeUri and every layer's ContentUri, and which changes inside them don't count.
import { basename, dirname, resolve, sep } from 'node:path';
import type { LoadedStack, StackSource } from './deploy.js';
import { NEVER_PACKAGED } from './package.js';

export interface WatchTarget {
  /** An absolute directory path. */
  dir: string;
  /** The whole tree (a code directory), or only the entries `names` lists (templates, a .zip). */
  recursive: boolean;
  names?: string[];
}

/**
 * The targets for a stack. Without a loaded stack (the template did not load) only the files
 * named by `source` are known; the caller keeps the code directories it learned before.
 */
export function watchTargets(source: StackSource, stack?: Pick<LoadedStack, 'templateFile' | 'functions' | 'layers'>): WatchTarget[] {
  const files = new Set<string>();
  if (source.projectFile) files.add(resolve(source.projectFile));
  files.add(resolve(stack?.templateFile ?? source.templateFile ?? 'template.yaml'));
  const trees = new Set<string>();
  for (const { code } of [...(stack?.functions ?? []), ...(stack?.layers ?? [])]) {
    if (code.kind === 'directory') trees.add(resolve(code.path));
    else if (code.kind === 'zip') files.add(resolve(code.path));
  }
  // One target per directory: a file's directory lists its names, unless the directory is a watched tree already.
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = dirname(file);
    if ([...trees].some((t) => dir === t || dir.startsWith(t + sep))) continue;
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(basename(file)));
  }
  return [
    ...[...trees].sort().map((dir) => ({ dir, recursive: true })),
    ...[...byDir].sort(([a], [b]) => a.localeCompare(b)).map(([dir, names]) => ({ dir, recursive: false, names: [...names].sort() })),
  ];
}

/** Editors' temporary and swap files: vim (.swp, .swx, 4913), emacs (.#lock, backup~), JetBrains' safe write. */
const EDITOR_TEMPORARY = [/\.sw[a-p]$/, /\.swx$/, /~$/, /^\.#/, /^4913$/, /___jb_(tmp|old)___$/];

/** A change that triggers no deploy: at `relativePath` under a watched directory. */
export function isIgnoredChange(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/).filter(Boolean);
  if (parts.some((p) => NEVER_PACKAGED.has(p))) return true;
  for (let i = 0; i + 1 < parts.length; i++) if (parts[i] === 'node_modules' && parts[i + 1] === '.cache') return true;
  const name = parts.at(-1);
  return name !== undefined && EDITOR_TEMPORARY.some((re) => re.test(name));
}
