// AWS's exact text for what the Lambda service itself writes: START/END/REPORT lines, the
// platform error payloads (timeouts, crashes, oversized responses) and log stream names.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** AWS's limit on a synchronous response body (6 MB plus AWS's own 100 bytes of slack). */
export const MAX_RESPONSE_BYTES = 6291556;
/** AWS's default limit on a streamed response (200 MiB), for callers that take the stream as it comes. */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

/** `2024/01/31/[$LATEST]0123456789abcdef0123456789abcdef`: one per environment. */
export function newLogStreamName(version: string, now = new Date()): string {
  const y = now.getUTCFullYear();
  const m = String(now.getUTCMonth() + 1).padStart(2, '0');
  const d = String(now.getUTCDate()).padStart(2, '0');
  return `${y}/${m}/${d}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** An X-Ray style trace header for Lambda-Runtime-Trace-Id / _X_AMZN_TRACE_ID. */
export function newTraceId(nowMs = Date.now()): string {
  // randomUUID draws from a pre-filled entropy pool: cheap enough for the hot path.
  const a = randomUUID();
  const b = randomUUID();
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${a.slice(0, 8)}${a.slice(9, 13)}${a.slice(14, 18)}${a.slice(19, 23)}${b.slice(24, 28)};Parent=${b.slice(0, 8)}${a.slice(24, 32)};Sampled=0`;
}

// AWS stores each line it writes as one log event ending in a newline (the REPORT line's fields
// each end in a tab, the last one included).
export const startLine = (requestId: string, version: string): string => `START RequestId: ${requestId} Version: ${version}\n`;
export const endLine = (requestId: string): string => `END RequestId: ${requestId}\n`;

export const billedDurationMs = (durationMs: number): number => Math.max(1, Math.ceil(durationMs));

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** Added by AWS when the invocation did not end normally. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

/** Since August 2025 AWS bills the init phase of on-demand cold starts with the invocation. */
export const reportedBilledMs = (f: ReportFields): number => billedDurationMs(f.durationMs + (f.initDurationMs ?? 0));

export function reportLine(f: ReportFields): string {
  const billed = reportedBilledMs(f);
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms` +
    `\tMemory Size: ${f.memorySize} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status) line += `\tStatus: ${f.status}`;
  if (f.errorType) line += `\tError Type: ${f.errorType}`;
  return line + '\t\n';
}

/** `INIT_START Runtime Version: nodejs:20.v1\tRuntime Version ARN: arn:aws:lambda:…::runtime:…`. */
export function initStartLine(runtimeVersion: string, region: string): string {
  return `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${runtimeVersionArn(runtimeVersion, region)}\n`;
}

export const runtimeVersionArn = (runtimeVersion: string, region: string): string =>
  `arn:aws:lambda:${region}::runtime:${createHash('sha256').update(runtimeVersion).digest('hex')}`;

/** Which phase an init ran in: its own, or again at the start of the first invocation after it failed. */
export type InitPhaseName = 'init' | 'invoke';

/** `INIT_REPORT Init Duration: 10000.15 ms\tPhase: init\tStatus: timeout` (AWS writes it for failed inits only). */
export function initReportLine(initDurationMs: number, status: 'error' | 'timeout', errorType?: string, phase: InitPhaseName = 'init'): string {
  let line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}`;
  if (errorType) line += `\tError Type: ${errorType}`;
  return line + '\n';
}

/** `Task timed out after 3.00 seconds` */
export const timedOutMessage = (seconds: number): string => `Task timed out after ${seconds.toFixed(2)} seconds`;

/** The log line AWS writes when it stops a timed out invocation. */
export const timedOutLogLine = (requestId: string, seconds: number, now = new Date()): string =>
  `${now.toISOString()} ${requestId} ${timedOutMessage(seconds)}\n`;

/** The log line AWS writes when the runtime failed without reporting why: `RequestId: … Error: …\nRuntime.ExitError\n`. */
export const platformErrorLogLine = (requestId: string, message: string, errorType: string): string => `RequestId: ${requestId} Error: ${message}\n${errorType}\n`;

/** A platform error payload: `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: … Error: …"}`. */
export function platformErrorPayload(errorType: string, requestId: string, message: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${message}` }));
}

export function responseTooLargePayload(limit = MAX_RESPONSE_BYTES): Buffer {
  return Buffer.from(
    JSON.stringify({
      errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
      errorType: 'Function.ResponseSizeTooLarge',
    }),
  );
}

const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGPIPE: 'broken pipe',
  SIGTRAP: 'trace/breakpoint trap',
};

/** How AWS (Go's os.ProcessState) describes a process end: `exit status 1`, `signal: killed`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_NAMES[signal] ?? signal.toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}
