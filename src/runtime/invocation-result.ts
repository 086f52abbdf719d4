// What an invocation returns to the pool: the payload, its log lines between AWS's START and END
// (after INIT_START and the init output on an environment's first invocation), the REPORT line,
// its duration and the memory it used.
import type { InitFailure, Outcome } from './failures.js';
import type { Invocation } from './invocation.js';
import { platformErrorLogLine, timedOutLogLine } from './aws-format.js';
import { platformLog } from './platform-log.js';
import type { FunctionSpec, InvokeResult } from './types.js';

const MIB = 1024 * 1024;

/** The environment the invocation ran in, as far as its result goes. */
export interface ResultSource {
  readonly spec: FunctionSpec;
  readonly logStreamName: string;
}

/** The init phase, reported with an environment's first invocation. */
export interface InitPhase {
  /** `nodejs:20.v1`: for the INIT_START line. */
  runtimeVersion: string;
  durationMs: number | undefined;
  lines: readonly string[];
  /** Init ran again in the Invoke phase: what the failed init wrote first (it replaces INIT_START; no Init Duration). */
  earlier?: readonly string[];
}

/** Max Memory Used: the largest RSS seen, or the whole memory size when the environment ran out of it. */
const memoryUsedMb = (memorySize: number, rssBytes: number, exhausted: boolean | undefined): number =>
  exhausted ? memorySize : Math.max(1, Math.round(rssBytes / MIB));

/** A platform line, unless the function's log level left it out. */
function pushLine(lines: string[], line: string | undefined): void {
  if (line !== undefined) lines.push(line);
}

/** The result of an invocation that ended (answered, timed out or crashed) after init. */
export function invocationResult(env: ResultSource, inv: Invocation, outcome: Outcome, processRss: number, init?: InitPhase): InvokeResult {
  const s = env.spec;
  const id = inv.req.requestId;
  const durationMs = inv.deliveredAt === 0 ? 0 : Math.max(0, inv.endedAt - inv.deliveredAt);
  // A provisioned environment initialised ahead of demand: AWS reports no Init Duration for it.
  // Init run again in the Invoke phase is part of the Duration instead.
  const initDurationMs = s.initializationType === 'provisioned-concurrency' || init?.earlier ? undefined : init?.durationMs;
  const log = platformLog(s);
  const logLines: string[] = [];
  if (init) {
    if (init.earlier) logLines.push(...init.earlier);
    else pushLine(logLines, log.initStart(s, init.runtimeVersion));
    logLines.push(...init.lines);
  }
  pushLine(logLines, log.start(s, id));
  logLines.push(...inv.lines.lines, ...(outcome.platformLines ?? []));
  pushLine(logLines, log.end(s, id, durationMs, outcome.status, outcome.functionError !== undefined));
  const maxMemoryUsedMb = memoryUsedMb(s.memorySize, Math.max(inv.maxRss, processRss), outcome.memoryExhausted);
  pushLine(logLines, log.report(s, { requestId: id, durationMs, memorySize: s.memorySize, maxMemoryUsedMb, initDurationMs, status: outcome.status, errorType: outcome.errorType }));
  const result: InvokeResult = { payload: outcome.payload, logLines, logStreamName: env.logStreamName, durationMs, maxMemoryUsedMb };
  if (outcome.functionError) result.functionError = outcome.functionError;
  if (initDurationMs !== undefined) result.initDurationMs = initDurationMs;
  return result;
}

/** What an init that failed in its own phase wrote: INIT_START, its output, `INIT_REPORT … Phase: init`. */
export function failedInitLines(env: ResultSource, failure: InitFailure, init: InitPhase & { durationMs: number }): string[] {
  const s = env.spec;
  const log = platformLog(s);
  const reported = failure.status === 'error' ? failure.errorType : undefined;
  return [log.initStart(s, init.runtimeVersion), ...init.lines, log.initReport(s, init.durationMs, failure.status, reported)].filter(
    (line): line is string => line !== undefined,
  );
}

/**
 * The result of an invocation whose environment never finished init. When init ran again in the
 * invocation (`init.earlier`), AWS writes the failed init's lines, the re-run's output and
 * `INIT_REPORT … Phase: invoke`, then START, the platform's reason (when the runtime reported none)
 * and END; the Duration is the re-run's.
 */
export function initFailureResult(
  env: ResultSource,
  requestId: string,
  failure: InitFailure,
  init: InitPhase & { durationMs: number },
  memory: { rss: number; exhausted: boolean },
): InvokeResult {
  const s = env.spec;
  const { payload, errorType, status } = failure;
  const initMs = init.durationMs;
  const maxMemoryUsedMb = memoryUsedMb(s.memorySize, memory.rss, memory.exhausted);
  const log = platformLog(s);
  const reported = status === 'error' ? errorType : undefined;
  const rerun = init.earlier !== undefined;
  const reason = !rerun ? undefined : status === 'timeout' ? timedOutLogLine(requestId, initMs / 1000) : failure.message && platformErrorLogLine(requestId, failure.message, errorType);
  const logLines = [
    ...(rerun ? init.earlier! : [log.initStart(s, init.runtimeVersion)]),
    ...init.lines,
    log.initReport(s, initMs, status, reported, rerun ? 'invoke' : 'init'),
    log.start(s, requestId),
    reason || undefined,
    log.end(s, requestId, initMs, status, true),
    log.report(s, { requestId, durationMs: initMs, memorySize: s.memorySize, maxMemoryUsedMb, status, errorType: reported }),
  ].filter((line): line is string => line !== undefined);
  return { payload, functionError: 'Unhandled', logLines, logStreamName: env.logStreamName, durationMs: initMs, maxMemoryUsedMb };
}
