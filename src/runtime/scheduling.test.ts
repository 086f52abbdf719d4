// The scheduling policy environments run under: SCHED_BATCH by default (a function reads its own
// policy from /proc), the server's policy when asked, and a clear fallback without chrt. Real
// processes, sandboxed when bubblewrap works here; pre-started cells and fresh spawns both.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TempDirs, TestPools, json, request, specFor } from './testing.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs);
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

/** Field 41 of /proc/self/stat: 0 SCHED_OTHER (normal), 3 SCHED_BATCH. */
const POLICY_PROBE = `
const fs = require('fs');
exports.handler = async () => {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { policy: Number(fields[41 - 3]) };
};`;

const SCHED_OTHER = 0;
const SCHED_BATCH = 3;

describe('environment scheduling', () => {
  it('runs environments under SCHED_BATCH by default, from pre-started cells and fresh spawns alike', async () => {
    const code = await dirs.code({ 'index.js': POLICY_PROBE });
    for (const prewarm of [1, 0]) {
      const pool = await pools.start({ prewarm });
      assert.deepEqual(pool.schedulingStatus(), { policy: 'batch' });
      const result = await pool.invoke(specFor(code), request({}));
      assert.deepEqual(json(result.payload), { policy: SCHED_BATCH }, `prewarm ${prewarm}`);
    }
  });

  it('runs them under the normal policy when configured so', async () => {
    const pool = await pools.start({ scheduling: 'normal', prewarm: 0 });
    assert.equal(pool.schedulingStatus().policy, 'normal');
    const result = await pool.invoke(specFor(await dirs.code({ 'index.js': POLICY_PROBE })), request({}));
    assert.deepEqual(json(result.payload), { policy: SCHED_OTHER });
  });

  it('falls back to the normal policy, saying why, when chrt cannot be run', async () => {
    const pool = await pools.start({ chrtPath: '/nonexistent/chrt', prewarm: 0 });
    const status = pool.schedulingStatus();
    assert.equal(status.policy, 'normal');
    assert.match(status.reason ?? '', /\/nonexistent\/chrt --batch is unavailable/);
    const result = await pool.invoke(specFor(await dirs.code({ 'index.js': POLICY_PROBE })), request({}));
    assert.deepEqual(json(result.payload), { policy: SCHED_OTHER });
  });
});
