// Messaging benchmark support: a Node.js function that writes, for each message it is handed, the
// time it ran and the send time carried in the message ("BENCH_MARK <tag> <seq> <sentAt> <ranAt>"),
// whatever brought it (SQS records, SNS records, an EventBridge event or a direct invoke), and the
// reading of those lines back through CloudWatch Logs. Both times come from the same machine's
// clock, so the delta is the path's own latency: no polling interval of the harness is in it.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export const MARKING_HANDLER = `exports.handler = async (event) => {
  const ranAt = Date.now();
  const messages = Array.isArray(event.Records)
    ? event.Records.map((r) => JSON.parse(r.Sns ? r.Sns.Message : r.body))
    : [event.detail ?? event];
  for (const m of messages) if (m && m.tag) console.log('BENCH_MARK ' + m.tag + ' ' + m.seq + ' ' + m.sentAt + ' ' + ranAt);
};
`;

/** What a message carries for the handler to mark. */
export interface MarkedMessage {
  tag: string;
  seq: number;
  sentAt: number;
}

export interface RunMark {
  seq: number;
  sentAt: number;
  ranAt: number;
}

const MARK = /BENCH_MARK (\S+) (\d+) (\d+) (\d+)/;

/** Every mark of `tag` the function logged since `sinceMs` (one per message; a repeat delivery is kept once). */
export async function readMarks(logs: CloudWatchLogsClient, fn: string, tag: string, sinceMs: number): Promise<RunMark[]> {
  const bySeq = new Map<number, RunMark>();
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: `BENCH_MARK ${tag}`, startTime: sinceMs - 1000, nextToken }))
      .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [], nextToken: undefined } : Promise.reject(e)));
    for (const event of page.events ?? []) {
      const m = MARK.exec(event.message ?? '');
      if (!m || m[1] !== tag) continue;
      const seq = Number(m[2]);
      if (!bySeq.has(seq)) bySeq.set(seq, { seq, sentAt: Number(m[3]), ranAt: Number(m[4]) });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return [...bySeq.values()];
}

/** Polls the log until `count` marks of `tag` are there (the harness's polling is outside the measured deltas). */
export async function waitForMarks(logs: CloudWatchLogsClient, fn: string, tag: string, sinceMs: number, count: number, timeoutMs: number): Promise<RunMark[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const marks = await readMarks(logs, fn, tag, sinceMs);
    if (marks.length >= count) return marks;
    if (Date.now() > deadline) throw new Error(`${tag}: ${marks.length} of ${count} messages reached the function within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
