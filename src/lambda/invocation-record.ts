// The invocation record Lambda sends to an OnSuccess/OnFailure destination (version 1.0), shaped
// and ordered as AWS sends it: what was asked, of which function, how it ended and what it answered.
import type { AttemptResponse } from '../store/async-queue-store.js';
import type { Condition } from './async-retry.js';

export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: Condition; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion?: string; functionError?: string };
  responsePayload?: unknown;
}

export interface RecordInput {
  requestId: string;
  /** The function as invoked, qualified ($LATEST when the caller gave no qualifier). */
  functionArn: string;
  condition: Condition;
  attempts: number;
  payload: Buffer;
  /** Undefined when no attempt reached the function (the event waited, throttled, until it expired). */
  response?: AttemptResponse;
  now: Date;
}

/** JSON payloads travel parsed; anything else as its text (an empty event is `{}`, as the function saw it). */
function parsed(text: string, empty: unknown): unknown {
  if (!text.trim()) return empty;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function invocationRecord(input: RecordInput): InvocationRecord {
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: input.now.toISOString(),
    requestContext: { requestId: input.requestId, functionArn: input.functionArn, condition: input.condition, approximateInvokeCount: input.attempts },
    requestPayload: parsed(input.payload.toString('utf8'), {}),
  };
  const response = input.response;
  if (response) {
    record.responseContext = { statusCode: response.statusCode };
    if (response.executedVersion) record.responseContext.executedVersion = response.executedVersion;
    if (response.functionError) record.responseContext.functionError = response.functionError;
    record.responsePayload = parsed(response.payload ?? '', null);
  }
  return record;
}
