// Facts about the machine a run happened on, printed beside the results.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { WRK } from './wrk.js';
import type { Machine } from './results.js';

export function machineFacts(): Machine {
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
  };
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

