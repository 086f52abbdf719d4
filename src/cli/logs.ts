// `stagecraft logs`: a function's log (/aws/lambda/<function>) through CloudWatch Logs'
// FilterLogEvents, optionally followed; START/END/REPORT lines and errors coloured on a terminal.
import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { awsErrorType, describeAwsError, isNotFound } from '../deploy/errors.js';
import { palette, write, type Palette } from './output.js';

const HELP = `Usage: stagecraft logs <function|/log/group> [--follow] [--since 10m] [--filter PATTERN]

Prints the function's log events from CloudWatch Logs (log group /aws/lambda/<function>), oldest
first. With --follow, keeps printing new events until interrupted (Ctrl-C). Works against any
server with the CloudWatch Logs API; \`aws logs tail\` reads the same events.

Options:
  -f, --follow          Keep watching for new events
  --since <when>        Start this long ago (30s, 10m, 2h, 1d) or at an ISO time (default 10m)
  --filter <pattern>    CloudWatch Logs filter pattern (e.g. ERROR, "Task timed out", ?ERROR ?WARN)
  --interval <ms>       How often --follow asks for new events (default 1000)
  --json                One JSON object per event (timestamp, logStreamName, message)
  --no-color            No colours
${COMMON_HELP.split('\n').filter((l) => !/--json|--no-color/.test(l)).join('\n')}

Examples:
  stagecraft logs hello-lambda
  stagecraft logs hello-lambda --follow --filter ERROR
  stagecraft logs hello-lambda --since 2h --json
`;

/** Parses 30s/10m/2h/1d/1w, an ISO date or epoch milliseconds into a start time (ms). */
export function parseSince(text: string, now = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/i.exec(text.trim());
  if (m) {
    const unit = m[2].toLowerCase()[0];
    const ms = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(m[1]) * ms;
  }
  if (/^\d{12,}$/.test(text)) return Number(text);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CliError(`--since '${text}' is neither a duration (30s, 10m, 2h, 1d) nor a date`, 'For example --since 10m or --since 2026-01-31T12:00:00Z.', 2);
  return t;
}

const PLATFORM_LINE = /^(START|END|REPORT|INIT_START|INIT_REPORT|EXTENSION|TELEMETRY|RUNTIME_DONE|XRAY TraceId)\b/;
const ERROR_LINE = /\b(ERROR|Error|Exception|Task timed out|errorType|Runtime\.[A-Za-z]+|Traceback|FATAL|exited with)\b/;
const WARN_LINE = /\bWARN(ING)?\b/;

export function colourLogLine(line: string, c: Palette): string {
  const message = line.replace(/^\S+Z\s+/, '');
  if (PLATFORM_LINE.test(message) || /\tREPORT RequestId/.test(line)) {
    return /^REPORT/.test(message) ? c.cyan(line) : c.dim(line);
  }
  if (ERROR_LINE.test(line)) return c.red(line);
  if (WARN_LINE.test(line)) return c.yellow(line);
  return line;
}

export function logGroupFor(target: string): string {
  return target.startsWith('/') ? target : `/aws/lambda/${target.split(':')[0]}`;
}

async function fetchEvents(logs: CloudWatchLogsClient, group: string, startTime: number, filter: string | undefined): Promise<FilteredLogEvent[]> {
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime, filterPattern: filter, nextToken }));
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print (or follow) a function's log through the CloudWatch Logs API",
  run: (args) => runCommand('logs', HELP, args, {
    follow: { type: 'boolean', short: 'f' },
    since: { type: 'string' },
    filter: { type: 'string' },
    interval: { type: 'string' },
  }, async (inv) => {
    const { values } = inv;
    const target = inv.positionals[0];
    if (!target) throw new CliError('name the function whose log to show', 'Usage: stagecraft logs <function> [--follow]', 2);
    const group = logGroupFor(target);
    const interval = values.interval === undefined ? 1000 : Number(values.interval);
    if (!Number.isFinite(interval) || interval < 100) throw new CliError('--interval is a number of milliseconds, at least 100', undefined, 2);
    const { logs } = inv.clients();
    const c = palette(process.stdout, Boolean(values['no-color']));
    const print = (e: FilteredLogEvent) => {
      const message = (e.message ?? '').replace(/\n$/, '');
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ timestamp: e.timestamp, time: new Date(e.timestamp ?? 0).toISOString(), logStreamName: e.logStreamName, message, eventId: e.eventId })}\n`);
        return;
      }
      const time = new Date(e.timestamp ?? 0).toISOString();
      for (const [i, part] of message.split('\n').entries()) {
        const prefix = i === 0 ? `${c.dim(time)} ${c.magenta(e.logStreamName ?? '')} ` : ' '.repeat(time.length + 1 + (e.logStreamName ?? '').length + 1);
        process.stdout.write(`${prefix}${colourLogLine(part, c)}\n`);
      }
    };

    let since = parseSince(values.since ?? '10m');
    /** Events already printed at the newest timestamp seen (FilterLogEvents' startTime is inclusive). */
    let seenAtEdge = new Set<string>();
    let waiting = false;
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      for (;;) {
        let events: FilteredLogEvent[];
        try {
          events = await fetchEvents(logs, group, since, values.filter);
        } catch (e) {
          if (isNotFound(e)) {
            if (!values.follow) {
              throw new CliError(`there is no log group ${group} yet`, `${target.startsWith('/') ? 'Check the name' : `${target} has not logged anything: invoke it (\`stagecraft invoke ${target}\`)`}, or use --follow to wait for its first events.`, 1, 'ResourceNotFoundException');
            }
            if (!waiting) {
              write(c.dim(`Waiting for log group ${group} to appear…`), process.stderr);
              waiting = true;
            }
            events = [];
          } else if (awsErrorType(e) === 'InvalidParameterException' && values.filter) {
            throw new CliError(`the server rejected --filter '${values.filter}': ${describeAwsError(e)}`, 'Check the filter pattern syntax (CloudWatch Logs filter patterns).', 2, 'InvalidParameterException');
          } else {
            throw e;
          }
        }
        const fresh = events.filter((e) => !((e.timestamp ?? 0) === since && seenAtEdge.has(e.eventId ?? '')));
        for (const e of fresh) print(e);
        if (events.length) {
          const newest = events[events.length - 1].timestamp ?? since;
          const edge = new Set(events.filter((e) => e.timestamp === newest).map((e) => e.eventId ?? ''));
          if (newest === since) for (const id of seenAtEdge) edge.add(id);
          since = newest;
          seenAtEdge = edge;
        }
        if (!values.follow || stopped) return 0;
        await new Promise((r) => setTimeout(r, interval));
        if (stopped) return 0;
      }
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }, 1),
};
