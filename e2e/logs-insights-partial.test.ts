// Logs Insights while a query runs, on one node (SQLite): GetQueryResults answers Running with the
// results and statistics found so far, growing until Complete; a query that outruns the timeout
// ends Timeout with what it found. The heartbeat and timeout are shortened (--insights-limits,
// whose bad values serve refuses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../src/testing/fixture.js';
import { runCli } from '../src/cli/testing.js';
import { assertPartialResults, fillGroup, rowsOf, startSlowQuery, watchQuery } from '../src/testing/insights.js';

/** Events enough that a query over them runs for a while (a second or more). */
const BULK = 60_000;

test('a running query answers its results and statistics so far, then Complete', { timeout: 120_000 }, async () => {
  const server = await TestServer.start({ args: ['--insights-limits', '30,100,3600000'] });
  try {
    await fillGroup(server.logs, 'partial-bulk', BULK);
    const { running, done } = await watchQuery(server.logs, await startSlowQuery(server.logs, 'partial-bulk'), 60_000);
    assertPartialResults(running);
    assert.equal(done.status, 'Complete');
    assert.equal(done.statistics!.recordsScanned, BULK);
    assert.equal(rowsOf(done).length, 97);
    assert.equal(rowsOf(done).reduce((sum, r) => sum + Number(r.hits), 0), BULK);
    assert.ok(running.every((out) => out.statistics!.recordsScanned! <= BULK));
  } finally {
    await server.stop();
  }
});

test('a query that runs past the timeout ends Timeout with the results it found', { timeout: 120_000 }, async () => {
  const server = await TestServer.start({ args: ['--insights-limits', '30,100,300'] });
  try {
    await fillGroup(server.logs, 'timeout-bulk', BULK);
    const { done } = await watchQuery(server.logs, await startSlowQuery(server.logs, 'timeout-bulk'), 60_000);
    assert.equal(done.status, 'Timeout');
    const scanned = done.statistics!.recordsScanned!;
    assert.ok(scanned > 0 && scanned < BULK, `scanned ${scanned}`);
    assert.equal(rowsOf(done).reduce((sum, r) => sum + Number(r.hits), 0), done.statistics!.recordsMatched);
  } finally {
    await server.stop();
  }
});

test('serve refuses --insights-limits it cannot use', async () => {
  for (const bad of ['30,1000', '0,1000,3600000', '30,10,3600000', '30,1000,x']) {
    const run = await runCli(['serve', '--port', '0', '--insights-limits', bad]);
    assert.equal(run.code, 2, bad);
    assert.match(run.stderr, /--insights-limits must be three whole numbers/);
  }
});
