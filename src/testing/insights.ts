// Test support for Logs Insights: wait for a query to end, read its rows as records, fill a log
// group with many events (so a query runs long enough to be stopped or to outlive its node), and
// read how many queries a node is running.
import {
  CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand,
  type CloudWatchLogsClient, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Polls GetQueryResults until the query has ended. */
export async function queryResults(logs: CloudWatchLogsClient, queryId: string, timeoutMs = 30_000): Promise<GetQueryResultsCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status !== 'Scheduled' && out.status !== 'Running') return out;
    if (Date.now() > deadline) throw new Error(`query ${queryId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
