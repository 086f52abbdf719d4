// Facts about the machine a run happened on, printed beside the results.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { WRK } from './wrk.js';
import type { Machine } from './results.js';

/** Above this share of all cores busy with other work, a run's figures are provisional. */
export const BUSY_CPU_PERCENT = 25;

/**
 * The machine's facts, taken once it is quiet: other work's CPU use is sampled from /proc/stat
 * (the 1-minute load average would still count the build that just ran), waiting up to
 * `waitSec` for it to drop below BUSY_CPU_PERCENT.
 */
export async function machineFacts(waitSec: number, log: (m: string) => void): Promise<Machine> {
  let busy = await cpuBusyPercent(2000);
  const deadline = Date.now() + waitSec * 1000;
  while (busy !== undefined && busy > BUSY_CPU_PERCENT && Date.now() < deadline) {
    log(`machine busy (${busy}% of CPU in use by other work); waiting for it to settle`);
    busy = await cpuBusyPercent(5000);
  }
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: osName(),
    wrk: wrkVersion(),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    ...(busy === undefined ? {} : { cpuBusyPercent: busy }),
  };
}

/** Share of all cores' time spent busy over the next `ms`, in whole percent; undefined without /proc/stat. */
async function cpuBusyPercent(ms: number): Promise<number | undefined> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  if (!before || !after || after.total <= before.total) return undefined;
  return Math.round((100 * (after.busy - before.busy)) / (after.total - before.total));
}

function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const fields = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]?.trim().split(/\s+/).map(Number);
    if (!fields || fields.length < 5) return undefined;
    // user nice system idle iowait irq softirq steal: idle and iowait are the only not-busy times.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return `${m?.[1] ?? 'Linux'}, kernel ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}`;
  } catch {
    return process.platform;
  }
}

function wrkVersion(): string {
  try {
    execFileSync(WRK, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    return 'wrk';
  } catch (e) {
    // wrk -v prints its version and usage, then exits non-zero.
    const out = String((e as { stdout?: string }).stdout ?? '');
    return /^(wrk \S+)/.exec(out)?.[1] ?? 'wrk (version unknown)';
  }
}

