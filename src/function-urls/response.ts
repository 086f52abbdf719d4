// What a function URL answers for a function's result, as AWS documents it: an object with a
// `statusCode` is an HTTP response (headers, cookies, body, isBase64Encoded); any other JSON value
// is a 200 `application/json` whose body is that value (a JSON string: the string itself).
// Content-Type defaults to application/json, as recorded on AWS.

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
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value) {
    return httpResponse(value as Record<string, unknown>);
  }
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  return { status: 200, headers: { ...JSON_TYPE }, cookies: [], body: Buffer.from(body) };
}

function httpResponse(r: Record<string, unknown>): UrlAnswer | undefined {
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    for (const [name, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      headers[name.toLowerCase()] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  if (!('content-type' in headers)) headers['content-type'] = JSON_TYPE['content-type'];
  const cookies = Array.isArray(r.cookies) ? r.cookies.filter((c): c is string => typeof c === 'string') : [];
  let body = Buffer.alloc(0);
  if (typeof r.body === 'string') body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  else if (r.body !== undefined && r.body !== null) body = Buffer.from(JSON.stringify(r.body));
  return { status, headers, cookies, body };
}
