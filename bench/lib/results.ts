// The shape of bench/results/latest.json: what each suite measured, and on what machine.
// docs/benchmarks.md and its chart are generated from this file alone.

export interface Machine {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  wrk: string;
  /** 1-minute load average when the run began (other work on the machine skews results). */
  loadAverage: number;
  /** Share of all cores busy with other work just before the run, sampled from /proc/stat (older results lack it). */
  cpuBusyPercent?: number;
}

export interface SuiteSettings {
  quick: boolean;
  /** Seconds each measured load run lasted, and each warm-up before it. */
  loadSec: number;
  warmupSec: number;
  /** Measured runs per target and concurrency, interleaved across targets (warm suite). */
  rounds?: number;
}

/** One wrk run's figures, or why there are none. */
export interface LoadFigures {
  status: 'ok' | 'n/a';
  note?: string;
  requestsPerSec?: number;
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
  requests?: number;
  errors?: number;
  /** Runs these figures are the medians of, and the lowest and highest requests/s among them. */
  runs?: number;
  requestsPerSecMin?: number;
  requestsPerSecMax?: number;
}

export type WarmTargetId = 'bare-node' | 'one-hop' | 'stagecraft-apigw' | 'stagecraft-invoke' | 'stagecraft-apigw-eager' | 'stagecraft-apigw-normal-scheduling' | 'sls-offline' | 'sls-offline-inprocess';

export interface WarmRow extends LoadFigures {
  target: WarmTargetId;
  label: string;
  concurrency: number;
}

export interface WarmResults {
  machine: Machine;
  settings: SuiteSettings;
  rows: WarmRow[];
  /** Execution environments Stagecraft ran for hello-lambda:prod after the concurrency-32 runs. */
  stagecraftEnvironments?: number;
  /** The same with `--scale-out eager` (one environment per concurrent invocation, as on AWS). */
  stagecraftEnvironmentsEager?: number;
  sandbox?: string;
}

export interface SampleFigures {
  n: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

export interface ColdRow {
  id: string;
  label: string;
  sandbox: string;
  status: 'ok' | 'n/a';
  note?: string;
  cold?: SampleFigures;
  /** The second invoke of the same version (warm), for contrast. */
  warm?: SampleFigures;
}

export interface ColdResults {
  machine: Machine;
  settings: SuiteSettings;
  /** Spawning `node -e ''` until it exits. */
  emptyNodeSpawn: SampleFigures;
  rows: ColdRow[];
}

export interface ScaleLatency {
  id: 'list-functions' | 'get-alias' | 'invoke' | 'routing';
  label: string;
  /** The small case (10 functions, or an API with 1 resource). */
  small: LoadFigures;
  /** The large case (1,000 functions / 10,000 versions, or 1,000 resources). */
  large: LoadFigures;
}

export interface ScaleMemory {
  /** VmRSS in MiB. */
  platformIdleMiB: number;
  platformSmallMiB: number;
  platformLargeMiB: number;
  /** The large case after its load runs. */
  platformAfterLoadMiB: number;
  bareNodeMiB: number;
  environmentMiB: number[];
  emptyNodeMiB: number;
}

export interface ScaleResults {
  machine: Machine;
  settings: SuiteSettings;
  functions: { small: number; large: number };
  versions: { small: number; large: number };
  resources: { small: number; large: number };
  populateSec: number;
  latencies: ScaleLatency[];
  memory: ScaleMemory;
  sandbox?: string;
}

export interface BenchResults {
  warm?: WarmResults;
  cold?: ColdResults;
  scale?: ScaleResults;
}
