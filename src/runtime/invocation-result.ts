// What an invocation returns to the pool: the payload, its log lines between AWS's START and END
// (after INIT_START and the init output on an environment's first invocation), the REPORT line,
// its duration and the memory it used.
import { endLine, initReportLine, initStartLine, reportLine, startLine } from './aws-format.js';
import type { InitFailure, Outcome } from './failures.js';
import type { Invocation } from './invocation.js';
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
}

/** Max Memory Used: the largest RSS seen, or the whole memory size when the environment ran out of it. */
const memoryUsedMb = (memorySize: number, rssBytes: number, exhausted: boolean | undefined): number =>
  exhausted ? memorySize : Math.max(1, Math.round(rssBytes / MIB));

/** The result of an invocation that ended (answered, timed out or crashed) after init. */
export function invocationResult(env: ResultSource, inv: Invocation, outcome: Outcome, processRss: number, init?: InitPhase): InvokeResult {
  const s = env.spec;
  const id = inv.req.requestId;
  const durationMs = inv.deliveredAt === 0 ? 0 : Math.max(0, inv.endedAt - inv.deliveredAt);
  // A provisioned environment initialised ahead of demand: AWS reports no Init Duration for it.
  const initDurationMs = s.initializationType === 'provisioned-concurrency' ? undefined : init?.durationMs;
  const logLines: string[] = [];
  if (init) logLines.push(initStartLine(init.runtimeVersion, s.region), ...init.lines);
  logLines.push(startLine(id, s.version), ...inv.lines.lines, ...(outcome.platformLines ?? []), endLine(id));
  const maxMemoryUsedMb = memoryUsedMb(s.memorySize, Math.max(inv.maxRss, processRss), outcome.memoryExhausted);
  logLines.push(
    reportLine({ requestId: id, durationMs, memorySize: s.memorySize, maxMemoryUsedMb, initDurationMs, status: outcome.status, errorType: outcome.errorType }),
  );
  const result: InvokeResult = { payload: outcome.payload, logLines, logStreamName: env.logStreamName, durationMs, maxMemoryUsedMb };
  if (outcome.functionError) result.functionError = outcome.functionError;
  if (initDurationMs !== undefined) result.initDurationMs = initDurationMs;
  return result;
}

/** The result of an invocation whose environment never finished init. */
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
  const logLines = [
    initStartLine(init.runtimeVersion, s.region),
    ...init.lines,
    initReportLine(initMs, status, status === 'error' ? errorType : undefined),
    startLine(requestId, s.version),
    endLine(requestId),
    reportLine({ requestId, durationMs: initMs, memorySize: s.memorySize, maxMemoryUsedMb, status, errorType: status === 'error' ? errorType : undefined }),
  ];
  return { payload, functionError: 'Unhandled', logLines, logStreamName: env.logStreamName, durationMs: initMs, maxMemoryUsedMb };
}
