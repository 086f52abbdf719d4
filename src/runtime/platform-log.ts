// The lines the Lambda service itself writes around an invocation, in the function's log format:
// AWS's text lines (START, END, REPORT, INIT_START, INIT_REPORT: aws-format.ts) or, with
// LoggingConfig.LogFormat = JSON, the platform events of the Telemetry API's schema
// ({"time","type":"platform.start","record":{…}}), those below SystemLogLevel left out.
import { endLine, initReportLine, type InitPhaseName, initStartLine, reportedBilledMs, reportLine, runtimeVersionArn, startLine, type ReportFields } from './aws-format.js';
import type { FunctionSpec, SystemLogLevel } from './types.js';

/** Each method gives the line to write, or undefined when the function's log level leaves it out. */
export interface PlatformLog {
  initStart(spec: FunctionSpec, runtimeVersion: string): string | undefined;
  initReport(spec: FunctionSpec, durationMs: number, status: 'error' | 'timeout', errorType?: string, phase?: InitPhaseName): string | undefined;
  start(spec: FunctionSpec, requestId: string): string | undefined;
  /** END in text; platform.runtimeDone in JSON. `failed`: the function answered with an error. */
  end(spec: FunctionSpec, requestId: string, durationMs: number, status: ReportFields['status'], failed: boolean): string | undefined;
  report(spec: FunctionSpec, fields: ReportFields): string | undefined;
}

const TEXT: PlatformLog = {
  initStart: (spec, runtimeVersion) => initStartLine(runtimeVersion, spec.region),
  initReport: (_spec, durationMs, status, errorType, phase) => initReportLine(durationMs, status, errorType, phase),
  start: (spec, requestId) => startLine(requestId, spec.version),
  end: (_spec, requestId) => endLine(requestId),
  report: (_spec, fields) => reportLine(fields),
};

const SYSTEM_LEVELS: readonly SystemLogLevel[] = ['DEBUG', 'INFO', 'WARN'];

/** One platform event as AWS writes it to CloudWatch Logs in JSON format. */
export const platformEvent = (type: string, record: Record<string, unknown>, time = new Date()): string =>
  JSON.stringify({ time: time.toISOString(), type, record });

/** The event, unless the function's SystemLogLevel is above `level`. */
function event(spec: FunctionSpec, level: SystemLogLevel, type: string, record: Record<string, unknown>): string | undefined {
  const minimum = SYSTEM_LEVELS.indexOf(spec.jsonLogging?.systemLogLevel ?? 'INFO');
  return SYSTEM_LEVELS.indexOf(level) < minimum ? undefined : platformEvent(type, record);
}

const round2 = (ms: number): number => Math.round(ms * 100) / 100;

// Levels: DEBUG for platform.runtimeDone, INFO for the others (AWS writes no END line in JSON).
const JSON_EVENTS: PlatformLog = {
  initStart: (spec, runtimeVersion) =>
    event(spec, 'INFO', 'platform.initStart', {
      initializationType: spec.initializationType ?? 'on-demand',
      phase: 'init',
      runtimeVersion,
      runtimeVersionArn: runtimeVersionArn(runtimeVersion, spec.region),
      functionName: spec.functionName,
      functionVersion: spec.version,
    }),
  initReport: (spec, durationMs, status, errorType, phase = 'init') =>
    event(spec, 'INFO', 'platform.initReport', {
      initializationType: spec.initializationType ?? 'on-demand',
      phase,
      status,
      ...(errorType ? { errorType } : {}),
      metrics: { durationMs: round2(durationMs) },
    }),
  start: (spec, requestId) => event(spec, 'INFO', 'platform.start', { requestId, version: spec.version }),
  end: (spec, requestId, durationMs, status, failed) =>
    event(spec, 'DEBUG', 'platform.runtimeDone', { requestId, status: status ?? (failed ? 'error' : 'success'), metrics: { durationMs: round2(durationMs) } }),
  report: (spec, f) => {
    const metrics: Record<string, number> = {
      durationMs: round2(f.durationMs),
      billedDurationMs: reportedBilledMs(f),
      memorySizeMB: f.memorySize,
      maxMemoryUsedMB: f.maxMemoryUsedMb,
    };
    if (f.initDurationMs !== undefined) metrics.initDurationMs = round2(f.initDurationMs);
    return event(spec, 'INFO', 'platform.report', { requestId: f.requestId, metrics, status: f.status ?? 'success', ...(f.errorType ? { errorType: f.errorType } : {}) });
  },
};

/** The log a function's spec asks for: text unless it has JSON logging. */
export const platformLog = (spec: FunctionSpec): PlatformLog => (spec.jsonLogging ? JSON_EVENTS : TEXT);
