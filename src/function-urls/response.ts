// What a function URL answers for a function's result, as AWS documents it: an object with a
// `statusCode` is an HTTP response (headers, cookies, body, isBase64Encoded); any other JSON value
// is a 200 `application/json` whose body is that value (a JSON string: the string itself).
// Content-Type defaults to application/json, as recorded on AWS.
// A RESPONSE_STREAM URL does no such inference: the bytes the function wrote are the body (a plain
// handler's JSON result included, as recorded on AWS), after the status and headers a streaming
// handler gives awslambda.HttpResponseStream.from (a JSON prelude ended by 8 zero bytes).
import { isFinalStatus } from '../execute-api/http-status.js';

export interface UrlAnswer {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** The answer for a result payload, or undefined when it is no valid response (AWS's 502). */
export function answerFor(payload: Buffer | undefined): UrlAnswer | undefined {
  const text = payload?.toString('utf8') ?? '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 200, headers: { ...JSON_TYPE }, cookies: [], body: Buffer.from(text) };
  }
  try {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value) {
      return httpResponse(value as Record<string, unknown>, JSON_TYPE['content-type']);
    }
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    return { status: 200, headers: { ...JSON_TYPE }, cookies: [], body: Buffer.from(body) };
  } catch (e) {
    // JSON nested deeper than JSON.stringify can recurse (JSON.parse does not recurse): no answer to send.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

const OCTETS = 'application/octet-stream';
const PRELUDE_END = Buffer.alloc(8);
/** The content type awslambda.HttpResponseStream.from gives a stream that starts with a prelude. */
export const HTTP_INTEGRATION_RESPONSE = 'application/vnd.awslambda.http-integration-response';

/** A RESPONSE_STREAM URL's answer for everything the function wrote and returned, once it is done. */
export function streamedAnswer(payload: Buffer | undefined): UrlAnswer | undefined {
  const bytes = payload ?? Buffer.alloc(0);
  if (bytes[0] === 0x7b /* { */) {
    const answer = preludeAnswer(bytes);
    if (answer !== 'incomplete' && answer !== 'no-prelude') return answer;
  }
  return plainStreamAnswer(bytes);
}

/**
 * The status, headers and cookies of a prelude (JSON, then 8 zero bytes) at the start of `bytes`,
 * with what follows it as the body; 'incomplete' while its end has not arrived, 'no-prelude' when
 * the JSON is no object, undefined when it is no valid HTTP response (AWS's 502).
 */
export function preludeAnswer(bytes: Buffer): UrlAnswer | undefined | 'incomplete' | 'no-prelude' {
  const end = bytes.indexOf(PRELUDE_END);
  if (end === -1) return 'incomplete';
  let prelude: unknown;
  try {
    prelude = JSON.parse(bytes.subarray(0, end).toString('utf8'));
  } catch {
    return 'no-prelude';
  }
  if (prelude === null || typeof prelude !== 'object' || Array.isArray(prelude)) return 'no-prelude';
  const { body: _ignored, isBase64Encoded: _too, ...meta } = prelude as Record<string, unknown>;
  const answer = httpResponse({ statusCode: 200, ...meta }, OCTETS);
  return answer && { ...answer, body: bytes.subarray(end + PRELUDE_END.length) };
}

/** The answer to a stream without a prelude: 200, the bytes as they come. */
export const plainStreamAnswer = (body: Buffer): UrlAnswer => ({ status: 200, headers: { 'content-type': OCTETS }, cookies: [], body });

function httpResponse(r: Record<string, unknown>, defaultType: string): UrlAnswer | undefined {
  const status = Number(r.statusCode);
  if (!isFinalStatus(status)) return undefined;
  const headers: Record<string, string> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    for (const [name, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      headers[name.toLowerCase()] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  if (!('content-type' in headers)) headers['content-type'] = defaultType;
  const cookies = Array.isArray(r.cookies) ? r.cookies.filter((c): c is string => typeof c === 'string') : [];
  let body = Buffer.alloc(0);
  if (typeof r.body === 'string') body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  else if (r.body !== undefined && r.body !== null) body = Buffer.from(JSON.stringify(r.body));
  return { status, headers, cookies, body };
}
