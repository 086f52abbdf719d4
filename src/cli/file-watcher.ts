// Watches directories for `deploy --watch`: one non-recursive fs.watch per directory. Node 20's
// `recursive: true` on Linux follows each file's inode, so after an editor's atomic save (write a
// temporary file, rename it over the original) every later save of that file goes unseen; a
// directory's own watch sees renames into it and writes alike. See docs/architecture.md.
import { watch, readdirSync, statSync, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { WatchTarget } from '../deploy/watch-targets.js';

type OnChange = (file: string) => void;

/** One target: its root directory, and with `recursive` every directory below that isn't ignored. */
class WatchedTree {
  readonly #watchers = new Map<string, FSWatcher>();

  constructor(readonly target: WatchTarget, private readonly ignored: (relativePath: string) => boolean, private readonly onChange: OnChange) {
    this.refresh();
  }

  /** Opens what isn't open: the root, once it exists again after being removed. */
  refresh(): void {
    if (!this.#watchers.has(this.target.dir)) this.#open(this.target.dir);
  }

  close(): void {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #open(dir: string): void {
    if (this.#watchers.has(dir)) return;
    if (dir !== this.target.dir && this.ignored(relative(this.target.dir, dir))) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: true }, (_event, name) => this.#changed(dir, name === null ? undefined : String(name)));
    } catch {
      return; // not there (yet): a later refresh tries again
    }
    // The directory went away: its watch ends; the parent's (or a refresh) sees it come back.
    watcher.on('error', () => this.#closeUnder(dir));
    this.#watchers.set(dir, watcher);
    if (!this.target.recursive) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Symbolic links to directories are not followed: they may loop, and rarely change.
    for (const e of entries) if (e.isDirectory()) this.#open(join(dir, e.name));
  }

  #changed(dir: string, name: string | undefined): void {
    if (name === undefined) return this.onChange(dir);
    if (this.target.names && !this.target.names.includes(name)) return;
    const path = join(dir, name);
    if (this.ignored(relative(this.target.dir, path))) return;
    if (this.target.recursive) {
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        this.#closeUnder(path); // removed (or renamed away)
      }
      if (isDir) this.#open(path);
    }
    this.onChange(path);
  }

  #closeUnder(dir: string): void {
    for (const [d, w] of this.#watchers) {
      if (d === dir || d.startsWith(dir + sep)) {
        w.close();
        this.#watchers.delete(d);
      }
    }
  }
}

/** The set of watched targets, brought in line with the wanted ones after every deploy. */
export class FileWatcher {
  readonly #trees = new Map<string, WatchedTree>();

  constructor(private readonly ignored: (relativePath: string) => boolean, private readonly onChange: OnChange) {}

  /** Watches exactly `targets` (re-opening any whose directory had gone); returns whether the set changed. */
  set(targets: WatchTarget[]): boolean {
    const wanted = new Map(targets.map((t) => [JSON.stringify([t.dir, t.recursive, t.names ?? null]), t]));
    let changed = false;
    for (const [key, tree] of this.#trees) {
      if (wanted.has(key)) continue;
      tree.close();
      this.#trees.delete(key);
      changed = true;
    }
    for (const [key, target] of wanted) {
      const tree = this.#trees.get(key);
      if (tree) tree.refresh();
      else {
        this.#trees.set(key, new WatchedTree(target, this.ignored, this.onChange));
        changed = true;
      }
    }
    return changed;
  }

  close(): void {
    for (const tree of this.#trees.values()) tree.close();
    this.#trees.clear();
  }
}
