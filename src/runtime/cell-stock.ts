// The pool's pre-started cells: runtime processes started before any function needs them, one kind
// per (runtime, memory size, ephemeral storage size, behind the extensions' launcher or not), and
// specialised for one function version on its cold start. A kind is kept while cold starts want
// it; the pool decides when one may start.
import type { CellOptions, Environment } from './environment.js';
import { describeRuntime } from './runtimes.js';
import { LayerCells } from './layer-cells.js';
import { DEFAULT_EPHEMERAL_STORAGE_MB, type FunctionSpec } from './types.js';

/**
 * Variables that only take effect when a process starts: functions setting them get a fresh process.
 * (A Ruby cell applies RUBYLIB, GEM_PATH and GEM_HOME itself: stagecraft_cell.rb.)
 */
const STARTUP_ONLY = /^(NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|NODE_ICU_DATA|NODE_V8_COVERAGE|NODE_PENDING_DEPRECATION|NODE_NO_WARNINGS|NODE_REDIRECT_WARNINGS|NODE_PRESERVE_SYMLINKS|NODE_DISABLE_COLORS|NODE_SKIP_PLATFORM_CHECK|UV_[A-Z_]+|LD_[A-Z_]+|AWS_LAMBDA_EXEC_WRAPPER|PYTHON[A-Z_]*|RUBYOPT|RUBY_[A-Z0-9_]+|MALLOC_[A-Z_]+|GLIBC_TUNABLES|LANG|LC_[A-Z_]+|TZ)$/;

/**
 * Runtimes whose bootstrap can wait as a cell (Ruby and Java cells learn their function on the
 * channel; their invocations use the HTTP Runtime API).
 */
const CELL_FAMILIES = new Set(['nodejs', 'python', 'ruby', 'java']);
/** Families whose cells are never started behind the extensions' launcher: their functions with external extensions start fresh. */
const NO_EXTENSION_CELLS = new Set(['java']);

interface CellDemand {
  runtime: string;
  memorySize: number;
  ephemeralStorageMb: number;
  /** Cells started behind the extensions' launcher, for functions whose layers hold external extensions. */
  extensions: boolean;
  /** Date.now() of the last cold start that wanted such a cell (Infinity: always kept). */
  lastWanted: number;
}

/** What the stock needs from its pool. */
export interface CellPool {
  /** Cells kept per kind (0: none). */
  prewarm: number;
  /** Cells speak the private channel: without it there are none. */
  privateChannel: boolean;
  running(): boolean;
  /** Whether one more cell may start now (the pool runs, nobody waits for a slot, the cap has room). */
  mayLaunch(): boolean;
  sandboxed(): boolean;
  /** Starts an environment for the placeholder spec as a cell of `cellKey`, behind the extensions' launcher or not (counted by the pool). */
  launch(placeholder: FunctionSpec, cell: CellOptions): Environment;
  stop(env: Environment): void;
}

export class CellStock {
  readonly #pool: CellPool;
  /** Cells not yet specialised, starting or ready. */
  readonly #cells = new Set<Environment>();
  readonly #demand = new Map<string, CellDemand>();
  readonly #layerCells = new LayerCells();
  #timer: NodeJS.Timeout | undefined;

  /** `kept`: the kinds always kept, whether or not cold starts want them. */
  constructor(pool: CellPool, kept: { runtime: string; memorySize: number; ephemeralStorageMb?: number }[]) {
    this.#pool = pool;
    for (const p of kept) {
      const storage = p.ephemeralStorageMb ?? DEFAULT_EPHEMERAL_STORAGE_MB;
      const key = this.#keyOf(p.runtime, p.memorySize, storage, false);
      if (key) this.#demand.set(key, { runtime: p.runtime, memorySize: p.memorySize, ephemeralStorageMb: storage, extensions: false, lastWanted: Infinity });
    }
  }

  has(env: Environment): boolean {
    return this.#cells.has(env);
  }

  /** Forgets a cell (it died or was stopped). */
  delete(env: Environment): void {
    this.#cells.delete(env);
  }

  get size(): number {
    return this.#cells.size;
  }

  get ready(): number {
    let ready = 0;
    for (const cell of this.#cells) if (cell.cellReady) ready++;
    return ready;
  }

  /** The cell used least recently (a victim when the cap needs room). */
  leastRecentlyUsed(): Environment | undefined {
    let victim: Environment | undefined;
    for (const env of this.#cells) if (!victim || env.lastUsedAt < victim.lastUsedAt) victim = env;
    return victim;
  }

  /** The cell kind a runtime, memory size, ephemeral storage size and external extensions use, or undefined when it cannot use cells. */
  #keyOf(runtime: string, memorySize: number, ephemeralStorageMb: number, extensions: boolean): string | undefined {
    if (!(this.#pool.prewarm > 0) || !this.#pool.privateChannel) return undefined;
    const d = describeRuntime(runtime);
    if (!d || d.channel === 'none' || !CELL_FAMILIES.has(d.family)) return undefined;
    // Every nodejs* runtime runs the same node and bootstrap; the heap limit (a JVM's heap and
    // metaspace) depends on the memory size. python3.x, ruby3.x and java* runtimes may each have an
    // interpreter or JDK of their own (and each reports its own runtime version: runtimes sharing a
    // JDK do not share cells).
    return `${d.family === 'nodejs' ? d.family : d.name}:${memorySize}:${ephemeralStorageMb}${extensions ? ':extensions' : ''}`;
  }

  /** A ready cell specialised for `spec`, if one fits (the function sets no start-up-only variables). */
  take(spec: FunctionSpec): Environment | undefined {
    const runtime = describeRuntime(spec.runtime);
    if (!runtime || Object.keys(spec.environment).some((k) => STARTUP_ONLY.test(k) || runtime.startupOnly?.test(k))) return undefined;
    // With layers: not (sandboxed) too many entries to hard-link; external extensions need a cell behind their launcher (layer-cells.ts).
    const fit = spec.optDir === undefined ? 'plain' : this.#layerCells.fits(spec.optDir, runtime, this.#pool.sandboxed());
    if (fit === undefined || (fit === 'extensions' && NO_EXTENSION_CELLS.has(runtime.family))) return undefined;
    const storage = spec.ephemeralStorageMb ?? DEFAULT_EPHEMERAL_STORAGE_MB;
    const extensions = fit === 'extensions';
    const key = this.#keyOf(spec.runtime, spec.memorySize, storage, extensions);
    if (!key) return undefined;
    const demand = this.#demand.get(key);
    if (demand) demand.lastWanted = Math.max(demand.lastWanted, Date.now());
    else this.#demand.set(key, { runtime: spec.runtime, memorySize: spec.memorySize, ephemeralStorageMb: storage, extensions, lastWanted: Date.now() });
    for (const cell of this.#cells) {
      if (cell.cellKey !== key || !cell.cellReady) continue;
      this.#cells.delete(cell);
      void cell.specialise(spec);
      return cell;
    }
    // None ready: this cold start spawns as usual; a cell is started for the next one.
    this.scheduleReplenish();
    return undefined;
  }

  scheduleReplenish(): void {
    // (cheap enough for every release: the warm path pays one comparison)
    if (this.#timer || !this.#pool.running() || this.#cells.size >= this.#demand.size * this.#pool.prewarm) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.replenish();
    }, 0);
    this.#timer.unref();
  }

  /** Starts the cells that are missing, as long as the pool allows. */
  replenish(): void {
    for (const [key, demand] of this.#demand) {
      let have = 0;
      for (const cell of this.#cells) if (cell.cellKey === key) have++;
      while (have < this.#pool.prewarm && this.#pool.mayLaunch()) {
        this.#launch(key, demand);
        have++;
      }
    }
  }

  /** Cells of a kind no cold start wanted since `cutoff` go; the others stay. */
  dropUnwanted(cutoff: number): void {
    for (const [key, demand] of [...this.#demand]) {
      if (demand.lastWanted > cutoff) continue;
      this.#demand.delete(key);
      for (const cell of [...this.#cells]) if (cell.cellKey === key) this.#pool.stop(cell);
    }
  }

  /** Every cell not yet specialised stops and is started again (what environments start with changed). */
  restart(): void {
    for (const cell of [...this.#cells]) this.#pool.stop(cell);
    this.scheduleReplenish();
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  #launch(cellKey: string, demand: CellDemand): void {
    const placeholder: FunctionSpec = {
      key: `cell:${cellKey}`,
      accountId: '',
      region: '',
      functionName: '',
      version: '',
      runtime: demand.runtime,
      handler: '',
      memorySize: demand.memorySize,
      ephemeralStorageMb: demand.ephemeralStorageMb,
      timeout: 1,
      environment: {},
      codeDir: '',
      logGroupName: '',
    };
    this.#cells.add(this.#pool.launch(placeholder, { cellKey, extensions: demand.extensions }));
  }
}
