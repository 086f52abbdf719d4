// The platform events of the Telemetry API (schema 2022-12-13) an environment emits, built from
// what it knows at each point: init's start and end, an invocation's start, its answer and result.
import type { InitPhaseName } from './aws-format.js';
import type { Outcome } from './failures.js';
import type { TelemetryStream } from './telemetry-api.js';
import type { FunctionSpec, InvokeResult } from './types.js';

const initializationType = (s: FunctionSpec): string => s.initializationType ?? 'on-demand';

/** `phase` 'invoke': init runs again at the start of an invocation, after it failed in its own phase. */
/** `at`: when init began (epoch ms), if not now (internal extensions make the stream during init). */
export function emitInitStart(t: TelemetryStream, s: FunctionSpec, runtimeVersion: string, phase: InitPhaseName = 'init', at?: number): void {
  t.emit('platform.initStart', {
    initializationType: initializationType(s),
    phase,
    runtimeVersion,
    runtimeVersionArn: `arn:aws:lambda:${s.region}::runtime:${runtimeVersion}`,
    functionName: s.functionName,
    functionVersion: s.version,
  }, at);
}

/** Init succeeded: the runtime's part, each extension ready, the report; nothing before a subscription is kept any more. */
export function emitInitDone(t: TelemetryStream, s: FunctionSpec, durationMs: number, extensions: readonly unknown[], initPhase: InitPhaseName = 'init'): void {
  const phase = { initializationType: initializationType(s), phase: initPhase, status: 'success' };
  t.emit('platform.initRuntimeDone', phase);
  for (const ext of extensions) t.emit('platform.extension', ext);
  t.emit('platform.initReport', { ...phase, metrics: { durationMs: round(durationMs) } });
  t.initOver();
}

export function emitStart(t: TelemetryStream, requestId: string, version: string): void {
  t.emit('platform.start', { requestId, version });
}

/** An answered invocation: its output lines (init's first, on the first one), runtimeDone, report. */
/** The runtime answered: its lines and `platform.runtimeDone` (the runtime's own time). */
export function emitRuntimeDone(t: TelemetryStream, requestId: string, lines: readonly string[], outcome: Outcome, result: InvokeResult): void {
  // The platform's own EXTENSION lines (init's output) are platform.extension events already.
  t.functionLines(lines.filter((l) => !l.startsWith('EXTENSION\t')));
  t.emit('platform.runtimeDone', { requestId, ...statusOf(outcome), metrics: { durationMs: round(result.durationMs), producedBytes: outcome.payload.length } });
}

/** The Invoke phase is over (runtime and extensions done): `platform.report` with its whole duration, `durationMs`. */
export function emitReport(t: TelemetryStream, s: FunctionSpec, requestId: string, outcome: Outcome, result: InvokeResult, durationMs: number): void {
  const metrics: Record<string, number> = {
    durationMs: round(durationMs),
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB: s.memorySize,
    maxMemoryUsedMB: result.maxMemoryUsedMb,
  };
  if (result.initDurationMs !== undefined) metrics.initDurationMs = round(result.initDurationMs);
  t.emit('platform.report', { requestId, ...statusOf(outcome), metrics });
}

function statusOf(outcome: Outcome): { status: string; errorType?: string } {
  const status = outcome.status ?? (outcome.functionError ? 'error' : 'success');
  return outcome.errorType ? { status, errorType: outcome.errorType } : { status };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
