// What every suite receives from the runner: run settings, machine facts and a progress log.
import type { Machine } from './results.js';

export interface SuiteContext {
  quick: boolean;
  loadSec: number;
  warmupSec: number;
  /** Measured runs per target and concurrency in the warm suite, interleaved across targets. */
  rounds: number;
  machine: Machine;
  /** Functions in the large scale case (1,000 unless overridden). */
  scaleFunctions: number;
  /** Cold-start samples per row (at least 20). */
  coldSamples: number;
  log(message: string): void;
}
