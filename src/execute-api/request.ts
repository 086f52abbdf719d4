// Step 1 — parse: the raw HTTP request becomes an InvocationRequest (method, raw path, query and
// header maps in the shapes a proxy event uses, body read up to API Gateway's 10 MB limit).
// Paths are never decoded or normalised here: a `..` or `%2F` stays a literal part of a segment,
// so it can only ever match a literal resource or land inside a greedy path parameter.
import type { IncomingMessage } from 'node:http';
import type { InvocationRequest } from './context.js';
import { requestTooLarge } from './errors.js';

/** API Gateway's payload limit for REST APIs. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** Where an invocation URL points: the API, the stage and the rest of the raw path and query. */
export interface InvokeTarget {
  apiId: string;
  stage: string;
  /** Starts with '/'; '/' when nothing follows the stage. */
  rawPath: string;
  rawQuery: string;
  /** On a custom domain: the base path the request came in under ('' for the '(none)' mapping), which AWS's requestContext.path starts with instead of the stage. */
  basePath?: string;
}

const HOST_FORM = /^([A-Za-z0-9]+)(?:-vpce-[A-Za-z0-9-]+)?\.execute-api\./i;
const USER_REQUEST_FORM = /^\/restapis\/([^/?#]+)\/([^/?#]+)\/_user_request_(?=[/?#]|$)/;

/** The API id of an `{apiId}.execute-api.<anything>` host, or undefined. */
export function apiIdFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const m = HOST_FORM.exec(host);
  return m ? m[1].toLowerCase() : undefined;
}

/** The request-target's path and query, raw (an absolute-form target loses its scheme and authority). */
export function rawTarget(url: string): string {
  if (url.charCodeAt(0) === 47 /* / */) return url;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  const rest = m ? url.slice(m[0].length) : url;
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export function splitQuery(target: string): [string, string] {
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
}

/** True when the raw request-target is a `/restapis/{id}/{stage}/_user_request_/…` invocation. */
export function isUserRequestPath(url: string | undefined): boolean {
  return url !== undefined && USER_REQUEST_FORM.test(rawTarget(url));
}

/**
 * The API, stage and path an invocation addresses, from the host form (`/{stage}/{path}`) or the
 * `/restapis/{id}/{stage}/_user_request_/{path}` form. Stage is '' when the URL names none.
 */
export function invokeTarget(url: string, hostApiId: string | undefined): InvokeTarget | undefined {
  const [path, rawQuery] = splitQuery(rawTarget(url));
  if (hostApiId !== undefined) {
    // Leading slashes before the stage are ignored, as AWS does (//stage/x is /stage/x).
    let i = 0;
    while (i < path.length && path.charCodeAt(i) === 47) i++;
    const end = path.indexOf('/', i);
    const stage = end < 0 ? path.slice(i) : path.slice(i, end);
    const rawPath = end < 0 ? '/' : path.slice(end);
    return { apiId: hostApiId, stage, rawPath, rawQuery };
  }
  const m = USER_REQUEST_FORM.exec(path);
  if (!m) return undefined;
  const rest = path.slice(m[0].length);
  return { apiId: m[1].toLowerCase(), stage: m[2], rawPath: rest === '' ? '/' : rest, rawQuery };
}

/** rawPath with its leading slashes collapsed to one (AWS's `path`). */
export function collapseLeadingSlashes(rawPath: string): string {
  if (rawPath.length < 2 || rawPath.charCodeAt(1) !== 47) return rawPath;
  let i = 1;
  while (i < rawPath.length && rawPath.charCodeAt(i) === 47) i++;
  return '/' + rawPath.slice(i);
}

export function parseQuery(rawQuery: string): { query: Record<string, string> | null; multiQuery: Record<string, string[]> | null } {
  if (rawQuery === '') return { query: null, multiQuery: null };
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  let any = false;
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    if (k === '') continue;
    any = true;
    query[k] = v; // AWS keeps the last value in queryStringParameters
    (multiQuery[k] ??= []).push(v);
  }
  return any ? { query, multiQuery } : { query: null, multiQuery: null };
}

export function parseHeaders(rawHeaders: readonly string[]): Pick<InvocationRequest, 'headers' | 'multiHeaders' | 'headerNames'> {
  const headers: Record<string, string> = {};
  const multiHeaders: Record<string, string[]> = {};
  const headerNames = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const lower = name.toLowerCase();
    let key = headerNames.get(lower);
    if (key === undefined) {
      key = name;
      headerNames.set(lower, key);
      multiHeaders[key] = [];
    }
    headers[key] = rawHeaders[i + 1];
    multiHeaders[key].push(rawHeaders[i + 1]);
  }
  return { headers, multiHeaders, headerNames };
}

/**
 * Past this, an oversized body is not even drained: the 413 goes out at once and the connection
 * closes. Below it the rest of the body is read and dropped first, so the client sees the 413.
 */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Reads the body, refusing more than MAX_BODY_BYTES (413). Oversized bodies are never buffered. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > DRAIN_LIMIT) return Promise.reject(requestTooLarge());
  if ((declared === undefined || declared === '0') && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared !== undefined && Number(declared) > limit;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        done = true;
        chunks.length = 0;
        reject(requestTooLarge());
        return;
      }
      if (size > limit) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.once('end', () => {
      if (done) return;
      done = true;
      if (tooLarge) reject(requestTooLarge());
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.once('error', (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
    // A client that goes away mid-body ends the wait too.
    req.once('close', () => {
      if (done) return;
      done = true;
      reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

function stripMappedPrefix(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** Builds the InvocationRequest for a target; the body is read separately (readBody). */
export function toInvocationRequest(req: IncomingMessage, target: InvokeTarget, body: Buffer): InvocationRequest {
  const { headers, multiHeaders, headerNames } = parseHeaders(req.rawHeaders);
  const { query, multiQuery } = parseQuery(target.rawQuery);
  const host = req.headers.host ?? 'localhost';
  const dot = host.indexOf('.');
  return {
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '/',
    rawPath: target.rawPath,
    path: collapseLeadingSlashes(target.rawPath),
    rawQuery: target.rawQuery,
    query,
    multiQuery,
    headers,
    multiHeaders,
    headerNames,
    body,
    sourceIp: stripMappedPrefix(req.socket.remoteAddress ?? '127.0.0.1'),
    userAgent: req.headers['user-agent'] ?? '',
    protocol: `HTTP/${req.httpVersion}`,
    ...(target.basePath !== undefined ? { requestPath: target.basePath + target.rawPath } : {}),
    host,
    domainPrefix: (dot < 0 ? host : host.slice(0, dot)).replace(/:\d+$/, ''),
  };
}
