// The Lambda proxy integration's output: { statusCode, headers, multiValueHeaders, body,
// isBase64Encoded } and nothing else. Anything API Gateway cannot map — not a JSON object, an
// unknown key, a status that is not a number, a multi-value header that is not a list — is
// AWS's 502 {"message": "Internal server error"}. Buffered and streaming Lambda proxy integrations
// (integrations/aws-proxy.ts, aws-proxy-stream.ts) share the headers and failures defined here.
import { badIntegrationResponse, type GatewayError } from './errors.js';
import { checkHeader, remappedName } from './integration-response.js';
import { isFinalStatus } from './http-status.js';
import type { InvokeOutcome } from '../lambda/invoke.js';

const ALLOWED = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const MALFORMED = 'Execution failed due to configuration error: Malformed Lambda proxy response';

export interface ProxyResponse {
  status: number;
  /** Header name → values, in the function's casing (multiValueHeaders' casing wins). */
  headers: Map<string, { name: string; values: string[] }>;
  body: string;
  isBase64Encoded: boolean;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** AWS's 502 for a proxy response it cannot map. */
export const malformedProxyResponse = (): GatewayError => badIntegrationResponse(MALFORMED);

function malformed(): never {
  throw malformedProxyResponse();
}

export function parseProxyResponse(payload: Buffer): ProxyResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    malformed();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) malformed();
  const out = value as Record<string, unknown>;
  for (const key in out) if (!ALLOWED.has(key)) malformed();

  let status = 200;
  const sc = out.statusCode;
  if (sc !== undefined && sc !== null) {
    const n = typeof sc === 'number' ? sc : typeof sc === 'string' && /^\s*\d+\s*$/.test(sc) ? Number(sc) : NaN;
    if (!isFinalStatus(n)) malformed();
    status = n;
  }

  const headers = new Map<string, { name: string; values: string[] }>();
  const multi = out.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) malformed();
    for (const [name, list] of Object.entries(multi as Record<string, unknown>)) {
      if (list === null) continue;
      if (!Array.isArray(list)) malformed();
      const values: string[] = [];
      for (const v of list) {
        if (v === null) continue;
        const s = scalar(v);
        if (s === undefined) malformed();
        values.push(s);
      }
      const lower = name.toLowerCase();
      const entry = headers.get(lower);
      if (entry) entry.values.push(...values);
      else headers.set(lower, { name, values });
    }
  }
  const single = out.headers;
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single)) malformed();
    for (const [name, v] of Object.entries(single as Record<string, unknown>)) {
      if (v === null) continue;
      const s = scalar(v);
      if (s === undefined) malformed();
      const lower = name.toLowerCase();
      const entry = headers.get(lower);
      if (entry) entry.values.push(s);
      else headers.set(lower, { name, values: [s] });
    }
  }

  let body = '';
  if (out.body !== undefined && out.body !== null) {
    const s = scalar(out.body);
    if (s === undefined) malformed();
    body = s;
  }
  const b64 = out.isBase64Encoded;
  let isBase64Encoded = false;
  if (b64 !== undefined && b64 !== null) {
    if (b64 === true || b64 === 'true') isBase64Encoded = true;
    else if (b64 !== false && b64 !== 'false') malformed();
  }
  return { status, headers, body, isBase64Encoded };
}

/** AWS's 502 for a function that failed. */
export function functionFailed(outcome: InvokeOutcome): GatewayError {
  return badIntegrationResponse(`Lambda execution failed with status 200 due to customer function error: ${errorMessageOf(outcome.payload ?? Buffer.alloc(0))}. Lambda request id: ${outcome.requestId}`);
}

/** Hop-by-hop headers the front sends itself; a function's are dropped (or, remapping, only these). */
const HOP_BY_HOP = new Set(['transfer-encoding', 'keep-alive']);
const FRAMING = new Set([...HOP_BY_HOP, 'content-length', 'connection', 'trailer']);

/**
 * The client's headers from a proxy response (Content-Type application/json unless given); a
 * malformed header is AWS's 502. REST APIs (`remapOwned`) hand the headers API Gateway owns on as
 * x-amzn-Remapped-{name}, as for any integration (seen on AWS: x-amzn-Remapped-Content-Length,
 * -Date, -x-amzn-RequestId from Lambda proxies); otherwise they are dropped.
 */
export function proxyHeaders(parsed: ProxyResponse, remapOwned = true): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  let hasContentType = false;
  for (const [lower, { name, values }] of parsed.headers) {
    if (values.length === 0) continue;
    for (const v of values) if (!checkHeader(name, v)) malformed();
    if ((remapOwned ? HOP_BY_HOP : FRAMING).has(lower)) continue;
    if (lower === 'content-type') hasContentType = true;
    headers[remapOwned ? remappedName(name) : name] = values.length === 1 ? values[0] : values;
  }
  if (!hasContentType) headers['Content-Type'] = 'application/json';
  return headers;
}

function errorMessageOf(payload: Buffer): string {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof v.errorMessage === 'string' ? v.errorMessage : payload.toString('utf8');
  } catch {
    return payload.toString('utf8');
  }
}
