// A runtime process that exits while something it started still holds its pipes (as bubblewrap's
// inner process does when the outer one is killed mid-setup): the platform must not wait forever.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { RuntimeProcess } from './runtime-process.js';
import { sleep } from './testing.js';

/** Pids whose command line contains `marker`. */
function withMarker(marker: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}

describe('RuntimeProcess', () => {
  it('ends, kills what outlived it, and lets go of the pipes when they stay open after the exit', async () => {
    const marker = `stagecraft-straggler-${randomUUID()}`;
    // The shell exits at once; its background child keeps stdout and stderr open, carrying the marker.
    const child = spawn('/bin/sh', ['-c', `"${process.execPath}" -e "setTimeout(() => {}, 30000)" ${marker} & exit 0`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let gone = false;
    const proc = new RuntimeProcess(child, marker, {
      stdout: () => {},
      stderr: () => {},
      failed: (e) => assert.fail(e),
      gone: () => {
        gone = true;
        proc.settled();
      },
    });
    const deadline = Date.now() + 5000;
    while (!gone && Date.now() < deadline) await sleep(20);
    assert.ok(gone, 'the process was not reported gone while its pipes stayed open');
    assert.ok(child.stdout!.destroyed && child.stderr!.destroyed, 'our ends of its pipes are closed');
    for (let i = 0; i < 50 && withMarker(marker).length > 0; i++) await sleep(20);
    assert.deepEqual(withMarker(marker), [], 'what outlived it was killed');
  });
});
