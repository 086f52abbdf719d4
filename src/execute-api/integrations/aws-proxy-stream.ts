// AWS_PROXY with response transfer mode STREAM: the function is called as InvokeWithResponseStream
// calls it, and its output is JSON metadata (statusCode, headers, multiValueHeaders, cookies), then
// 8 zero bytes, then the body — what awslambda.HttpResponseStream.from writes. Once the metadata
// and its delimiter have arrived (within the first 16 KB, as AWS requires) the head is answered
// and the rest of the body follows as the function writes it. A function that fails before then
// is AWS's 502; after, the answer is cut short.
import { PassThrough } from 'node:stream';
import type { InvocationContext, InvocationResponse } from '../context.js';
import type { InvokeOutcome } from '../../lambda/invoke.js';
import type { FunctionRef } from '../../lambda/names.js';
import { functionFailed, malformedProxyResponse as malformed, parseProxyResponse, proxyHeaders } from '../proxy-response.js';
import { callFunction, type LambdaCallDeps } from './lambda.js';

const DELIMITER = Buffer.alloc(8);
/** The metadata and its delimiter must come within this many bytes. */
const MAX_METADATA_BYTES = 16 * 1024;

export function invokeAwsProxyStreaming(ctx: InvocationContext, deps: LambdaCallDeps, ref: FunctionRef, event: Buffer): Promise<InvocationResponse> {
  return new Promise((resolve, reject) => {
    const body = new PassThrough();
    body.on('error', () => undefined); // the front ends the answer; the error is not the platform's
    const send = (chunk: Buffer): void => void (body.destroyed || body.write(chunk));
    let held: Buffer[] = [];
    let state: 'metadata' | 'body' | 'failed' = 'metadata';
    /** Answers the head once the metadata and its delimiter have arrived (true then); fails past 16 KB without them. */
    const tryHead = (bytes: Buffer, final: boolean): boolean => {
      const end = bytes.subarray(0, MAX_METADATA_BYTES + DELIMITER.length).indexOf(DELIMITER);
      if (end === -1) {
        if (final || bytes.length >= MAX_METADATA_BYTES + DELIMITER.length) fail(malformed());
        else held = [bytes];
        return false;
      }
      let head: Omit<InvocationResponse, 'body'>;
      try {
        head = headOf(bytes.subarray(0, end));
      } catch (e) {
        fail(e);
        return false;
      }
      state = 'body';
      held = [];
      resolve({ ...head, body: Buffer.alloc(0), stream: body });
      const rest = bytes.subarray(end + DELIMITER.length);
      if (rest.length) send(rest);
      return true;
    };
    const fail = (e: unknown): void => {
      state = 'failed';
      held = [];
      reject(e);
    };
    const stream = {
      write(chunk: Buffer): void {
        if (state === 'body') send(chunk);
        else if (state === 'metadata') tryHead(held.length ? Buffer.concat([...held, chunk]) : chunk, false);
      },
    };
    callFunction(ctx, deps, ref, event, 'RequestResponse', true, stream).then(
      (outcome: InvokeOutcome) => {
        if (state === 'metadata') {
          if (outcome.functionError) return fail(functionFailed(outcome));
          if (tryHead(Buffer.concat([...held, outcome.payload ?? Buffer.alloc(0)]), true)) body.end();
        } else if (state === 'body') {
          if (outcome.functionError) body.destroy(new Error('the function failed after its response began'));
          else body.end(outcome.payload?.length ? outcome.payload : undefined);
        }
      },
      (e: unknown) => {
        if (state === 'body') body.destroy(e instanceof Error ? e : new Error(String(e)));
        else if (state === 'metadata') fail(e);
      },
    );
  });
}

/** Status and headers from the metadata; cookies become Set-Cookie headers. */
function headOf(metadata: Buffer): Omit<InvocationResponse, 'body'> {
  let value: unknown;
  try {
    value = JSON.parse(metadata.toString('utf8'));
  } catch {
    throw malformed();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed();
  const { cookies, ...rest } = value as Record<string, unknown>;
  if (cookies !== undefined && cookies !== null && !(Array.isArray(cookies) && cookies.every((c) => typeof c === 'string'))) throw malformed();
  const parsed = parseProxyResponse(Buffer.from(JSON.stringify({ ...rest, body: undefined })));
  const headers = proxyHeaders(parsed);
  if (Array.isArray(cookies) && cookies.length) headers['Set-Cookie'] = cookies as string[];
  return { status: parsed.status, headers };
}
