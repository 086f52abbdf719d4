// Test support for Logs Insights: wait for a query to end (and watch what it answers while it
// runs), read its rows as records, fill a log group with many events (so a query runs long enough
// to be stopped, watched or to outlive its node), and read how many queries a node is running.
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand,
  type CloudWatchLogsClient, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A query over fillGroup's events that takes a while over many of them: one row per user (97). */
export const SLOW_QUERY = 'parse @message "line * user-* took * ms" as n, user, ms | stats count(*) as hits, avg(ms), pct(ms, 90) by user | sort hits desc';

/** Starts SLOW_QUERY over a group fillGroup filled; its query id. */
export async function startSlowQuery(logs: CloudWatchLogsClient, logGroupName: string): Promise<string> {
  return (await logs.send(new StartQueryCommand({ logGroupName, startTime: nowSeconds() - 300, endTime: nowSeconds() + 60, queryString: SLOW_QUERY }))).queryId!;
}

/** Polls GetQueryResults until the query has ended: what each poll saw while it ran, and the end. */
export async function watchQuery(logs: CloudWatchLogsClient, queryId: string, timeoutMs = 30_000):
Promise<{ running: GetQueryResultsCommandOutput[]; done: GetQueryResultsCommandOutput }> {
  const deadline = Date.now() + timeoutMs;
  const running: GetQueryResultsCommandOutput[] = [];
  for (;;) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status !== 'Scheduled' && out.status !== 'Running') return { running, done: out };
    if (out.status === 'Running') running.push(out);
    if (Date.now() > deadline) throw new Error(`query ${queryId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls GetQueryResults until the query has ended. */
export async function queryResults(logs: CloudWatchLogsClient, queryId: string, timeoutMs = 30_000): Promise<GetQueryResultsCommandOutput> {
  return (await watchQuery(logs, queryId, timeoutMs)).done;
}

/**
 * What SLOW_QUERY answered while it ran: results so far (at least once), consistent with the
 * statistics so far (its hits add up to recordsMatched), and recordsScanned growing.
 */
export function assertPartialResults(running: GetQueryResultsCommandOutput[]): void {
  const partial = running.filter((out) => out.results!.length > 0);
  assert.ok(partial.length > 0, `no partial results in ${running.length} answers while Running`);
  for (const out of partial) {
    const hits = rowsOf(out).reduce((sum, r) => sum + Number(r.hits), 0);
    assert.equal(hits, out.statistics!.recordsMatched, 'the results so far match the statistics so far');
  }
  const scanned = running.map((out) => out.statistics!.recordsScanned!);
  assert.deepEqual(scanned, [...scanned].sort((a, b) => a - b), 'recordsScanned never goes back');
  assert.ok(new Set(scanned.filter((n) => n > 0)).size >= 2, `recordsScanned grows while Running: ${scanned.join()}`);
}

export const rowsOf = (out: GetQueryResultsCommandOutput): Record<string, string>[] =>
  out.results!.map((row) => Object.fromEntries(row.map((f) => [f.field!, f.value!])));

/** Creates `group` with one stream of `count` events `line <n> user-<n % 97>` over the last minute. */
export async function fillGroup(logs: CloudWatchLogsClient, group: string, count: number): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'bulk' }));
  const t0 = Date.now() - 60_000;
  const batch = 10_000;
  for (let first = 0; first < count; first += batch) {
    const logEvents = Array.from({ length: Math.min(batch, count - first) }, (_, i) => {
      const n = first + i;
      return { timestamp: t0 + Math.floor((n * 50_000) / count), message: `line ${n} user-${n % 97} took ${n % 1000} ms` };
    });
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'bulk', logEvents }));
  }
}

/** Queries a node is running (from /_stagecraft/health). */
export async function runningQueries(url: string): Promise<number> {
  const health = (await (await fetch(`${url}/_stagecraft/health`)).json()) as { logsInsights: { running: number } };
  return health.logsInsights.running;
}
