// One invocation in an environment, from the request to its result: its deadline, the log lines it
// collects, its timing and the most memory seen while it ran.
import { newTraceId } from './aws-format.js';
import { LogBuffer } from './output-capture.js';
import type { InvocationHeaders } from './runtime-api.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from './types.js';

export interface Invocation {
  req: InvokeRequest;
  timeoutMs: number;
  resolve(result: InvokeResult): void;
  reject(error: Error): void;
  lines: LogBuffer;
  /** performance.now() when handed to the runtime; 0 before. */
  deliveredAt: number;
  /** performance.now() when it ended (response, or the platform stopped it). */
  endedAt: number;
  timer: NodeJS.Timeout | undefined;
  maxRss: number;
  finished: boolean;
  /** A streaming handler's chunks, kept when the caller takes no stream (they lead the payload); created on the first. */
  streamed: Buffer[] | undefined;
  /** Bytes the handler has streamed so far. */
  streamedBytes: number;
}

export function newInvocation(spec: FunctionSpec, req: InvokeRequest, resolve: (result: InvokeResult) => void, reject: (error: Error) => void): Invocation {
  return {
    req,
    timeoutMs: timeoutFor(spec, req),
    resolve,
    reject,
    lines: new LogBuffer(),
    deliveredAt: 0,
    endedAt: 0,
    timer: undefined,
    maxRss: 0,
    finished: false,
    streamed: undefined,
    streamedBytes: 0,
  };
}

/** What the runtime is handed with the invocation when it is delivered (its deadline is `leftMs` from now). */
export function invocationHeaders(inv: Invocation, leftMs = inv.timeoutMs): InvocationHeaders {
  const req = inv.req;
  return {
    requestId: req.requestId,
    deadlineMs: Date.now() + leftMs,
    invokedFunctionArn: req.invokedFunctionArn,
    traceId: newTraceId(),
    clientContext: decodeClientContext(req.clientContext),
  };
}

/** X-Amz-Client-Context is base64 JSON; the runtime gets the JSON (non-ASCII escaped for the header). */
function decodeClientContext(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  try {
    const json = Buffer.from(b64, 'base64').toString('utf8');
    JSON.parse(json);
    return json.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  } catch {
    return undefined;
  }
}

/** Longest delay a Node.js timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long the invocation may run: until the request's deadline, else the function's timeout. */
export function timeoutFor(spec: FunctionSpec, req: InvokeRequest): number {
  const d = req.deadlineMs;
  // An absolute epoch deadline or a duration, whichever it is.
  const ms = d === undefined ? spec.timeout * 1000 : d > 1e12 ? d - Date.now() : d;
  return Math.min(MAX_TIMER_MS, Math.max(1, ms));
}
