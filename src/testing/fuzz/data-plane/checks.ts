// Test support for data-plane fuzzing: what every answer must be — in time, no 5xx AWS would not
// answer, no other request's data, and an echoed event well-formed for its payload format.
import type { RawAnswer } from './exchange.js';
import type { RawRequest } from './raw-requests.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringMap = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const listMap = (v: unknown) => isObject(v) && Object.values(v).every((x) => Array.isArray(x) && x.every((y) => typeof y === 'string'));
const orNull = (test: (v: unknown) => boolean) => (v: unknown) => v === null || test(v);
const isString = (v: unknown) => typeof v === 'string';
const isBoolean = (v: unknown) => typeof v === 'boolean';

/** Members of a payload format 1.0 event (REST proxy, HTTP API 1.0) and the type each must have. */
const V1: Record<string, (v: unknown) => boolean> = {
  resource: isString, path: isString, httpMethod: isString, headers: orNull(stringMap), multiValueHeaders: orNull(listMap),
  queryStringParameters: orNull(stringMap), multiValueQueryStringParameters: orNull(listMap), pathParameters: orNull(stringMap),
  stageVariables: orNull(stringMap), requestContext: isObject, body: orNull(isString), isBase64Encoded: isBoolean,
};
/** Members of a payload format 2.0 event (HTTP API 2.0, function URLs); absent is fine where AWS leaves them out. */
const V2: Record<string, (v: unknown) => boolean> = {
  version: (v) => v === '2.0', routeKey: isString, rawPath: isString, rawQueryString: isString, headers: stringMap, requestContext: isObject, isBase64Encoded: isBoolean,
};
const V2_OPTIONAL: Record<string, (v: unknown) => boolean> = {
  cookies: (v) => Array.isArray(v) && v.every(isString), queryStringParameters: stringMap, pathParameters: stringMap, stageVariables: stringMap, body: isString,
};

/** What is wrong with an echoed event, or [] when it is well-formed. */
export function eventProblems(format: 'rest' | 'v1' | 'v2', event: unknown): string[] {
  if (!isObject(event)) return ['the event is not an object'];
  const problems: string[] = [];
  if (format === 'v2') {
    for (const [k, ok] of Object.entries(V2)) if (!ok(event[k])) problems.push(`${k}: ${JSON.stringify(event[k])?.slice(0, 200)}`);
    for (const [k, ok] of Object.entries(V2_OPTIONAL)) if (k in event && !ok(event[k])) problems.push(`${k}: ${JSON.stringify(event[k])?.slice(0, 200)}`);
    const http = isObject(event.requestContext) ? event.requestContext.http : undefined;
    if (!isObject(http) || !['method', 'path', 'protocol', 'sourceIp', 'userAgent'].every((k) => isString(http[k]))) problems.push(`requestContext.http: ${JSON.stringify(http)}`);
  } else {
    for (const [k, ok] of Object.entries(V1)) if (!(k in event) || !ok(event[k])) problems.push(`${k}: ${JSON.stringify(event[k])?.slice(0, 200)}`);
    if (format === 'v1' && event.version !== '1.0') problems.push(`version: ${JSON.stringify(event.version)}`);
    const ctx = event.requestContext;
    if (isObject(ctx) && !(isString(ctx.requestId) && isString(ctx.httpMethod ?? '') && isObject(ctx.identity))) problems.push(`requestContext: ${JSON.stringify(ctx).slice(0, 300)}`);
  }
  return problems;
}

/** Where REST paths lead, for what the answer may be. */
const restTarget = (subPath: string) => /^\/(vtl|mock|http|down)(\/|$)/.exec(subPath)?.[1] ?? 'echo';

/** What is wrong with the answer to `req`, or [] when it is what AWS could answer. */
export function answerProblems(req: RawRequest, answer: RawAnswer): string[] {
  if (req.closesEarly) return [];
  if (answer.hung) return [`no answer and no close within the time bound${answer.status ? ` (status ${answer.status}, body incomplete)` : ''}`];
  if (answer.status === undefined) return req.malformed ? [] : ['the connection closed without an answer'];
  const problems: string[] = [];
  const target = req.door.name.startsWith('rest') ? restTarget(req.subPath) : 'echo';
  // AWS's integration failures: an HTTP_PROXY target that refuses connections, and a Lambda invoke
  // refused because the event would exceed Lambda's 6 MB synchronous payload.
  const allowed5xx = target === 'down' ? [502, 504] : req.bytes.length > 6 * 1024 * 1024 && req.door.name !== 'function-url' ? [500, 502] : [];
  if (answer.status >= 500 && !allowed5xx.includes(answer.status)) problems.push(`status ${answer.status}`);
  if (answer.status >= 400 && req.door.name.startsWith('rest') && answer.headers['x-amzn-errortype'] === undefined && answer.status !== 413 && answer.status !== 431 && answer.status !== 400) {
    problems.push(`a REST error without x-amzn-ErrorType: ${answer.status}`);
  }
  const text = answer.body.toString('latin1');
  const foreign = [...new Set(text.match(/fz\d+z/g) ?? [])].filter((t) => t !== req.token);
  if (foreign.length) problems.push(`another request's data in the answer: ${foreign.join(', ')}`);
  if (answer.status === 200 && target === 'echo' && req.door.format !== 'none' && req.method !== 'HEAD') {
    let echoed: unknown;
    try {
      echoed = (JSON.parse(answer.body.toString('utf8')) as { echoed?: unknown }).echoed;
    } catch {
      problems.push(`the echo's answer is not JSON: ${text.slice(0, 200)}`);
    }
    if (echoed !== undefined) problems.push(...eventProblems(req.door.format as 'rest' | 'v1' | 'v2', echoed).map((p) => `event ${p}`));
  }
  return problems;
}
