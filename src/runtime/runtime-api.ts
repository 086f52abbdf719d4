// The Runtime API as an environment serves it, whichever way it travels: HTTP
// (runtime-api-server.ts) or the private channel (runtime-channel.ts). Both hand the environment
// the same four requests and pass its refusals back in their own form.
import { MAX_RESPONSE_BYTES } from './aws-format.js';

/** What the runtime is handed with an invocation (the Runtime API's /next response headers). */
export interface InvocationHeaders {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext: string | undefined;
}

/** A runtime waiting for its next invocation: a held HTTP long poll, or a channel 'N' frame. */
export interface Poll {
  deliver(headers: InvocationHeaders, payload: Buffer): void;
  /** Answers a poll that cannot be served (superseded, or the environment is going away). */
  refuse(message: string): void;
}

/** A Runtime API problem to report back (HTTP status, AWS error type, message). */
export type Refusal = [status: number, errorType: string, message: string];

export const INVALID_REQUEST_ID: Refusal = [400, 'InvalidRequestID', 'Invalid request ID'];
export const SHUTTING_DOWN: Refusal = [403, 'InvalidStateTransition', 'Environment is shutting down'];
export const ALREADY_RUNNING: Refusal = [
  403,
  'InvalidStateTransition',
  'State transition from Running to Ready failed for runtime. Error: State transition is not allowed',
];
export const INIT_ERROR_AFTER_INIT: Refusal = [403, 'InvalidStateTransition', 'Init error reported after init'];
export const RESPONSE_TOO_LARGE: Refusal = [413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`];

/** The Runtime API's requests as an environment takes them: undefined when accepted, else the refusal. */
export interface RuntimeApiRequests {
  /** …/invocation/next: the poll is answered when there is an invocation. */
  next(poll: Poll): Refusal | undefined;
  /** …/invocation/{id}/response; `tooLarge` when the body passed AWS's limit (not kept). */
  response(requestId: string, body: Buffer, tooLarge: boolean): Refusal | undefined;
  /** …/invocation/{id}/error */
  error(requestId: string, body: Buffer, errorType: string | undefined): Refusal | undefined;
  /** …/init/error */
  initError(body: Buffer, errorType: string | undefined): Refusal | undefined;
}

/** The error payload of an invocation: the runtime's body, or a stand-in when it sent none. */
export function invocationErrorPayload(body: Buffer, errorType: string | undefined): Buffer {
  return body.length > 0 ? body : Buffer.from(JSON.stringify({ errorType: errorType ?? 'Unhandled', errorMessage: 'Unhandled' }));
}

/** What the runtime reported with …/init/error: its error type (the header, else the body's) and payload. */
export function reportedInitError(body: Buffer, errorType: string | undefined): { payload: Buffer; errorType: string } {
  const type = errorType ?? errorTypeOf(body) ?? 'Runtime.Unknown';
  return { payload: body.length > 0 ? body : Buffer.from(JSON.stringify({ errorType: type, errorMessage: '' })), errorType: type };
}

function errorTypeOf(body: Buffer): string | undefined {
  try {
    const t = (JSON.parse(body.toString('utf8')) as { errorType?: unknown }).errorType;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}
