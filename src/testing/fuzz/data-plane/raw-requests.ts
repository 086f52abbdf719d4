// Test support for data-plane fuzzing: seeded raw HTTP/1.1 requests, as bytes, so they can be what
// no client library sends — odd methods, `..` and encoded slashes and NULs, invalid UTF-8, paths
// beyond 10 KB and headers beyond 100 KB, repeated and conflicting headers, bad chunked framing,
// lying encodings, Host variants, thousands of query parameters, clients that close early.
import type { Random } from '../random.js';
import type { Door } from './targets.js';

export interface RawRequest {
  door: Door;
  /** Marks every place the request carries its identity, so another request's answer can be told apart. */
  token: string;
  bytes: Buffer;
  /** Which mutations made it (printed with the bytes when a check fails). */
  mutations: string[];
  /** The request breaks HTTP/1.1 itself: closing the connection (Node's 400 and close) is a fine answer. */
  malformed: boolean;
  /** The client goes away before the request is whole: no answer is expected. */
  closesEarly: boolean;
  /** The path below the door, as sent (before any mutation of the request line). */
  subPath: string;
  method: string;
}

const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE', 'CONNECT', 'FOO', 'get', 'M-SEARCH'];
const REST_PATHS = ['/echo', '/anything/deep/er', '/vtl', '/mock', '/http/up/x', '/down/x', '/auth', '/keyed', '/validated', '/', ''];
const SEGMENTS = ['..', '.', '%2e%2e', '%2E', '%00', '%2F', '%2f..%2f', '%zz', '%', '%ff%fe', 'caf\u00e9', '\u2603', '//', ';x=1', '~', "a'b\"c", '{proxy+}', '$default', '%20sp%20'];
const BAD_BYTES = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json, text/plain', '*/*'];

export function buildRequest(rng: Random, door: Door, id: number): RawRequest {
  const token = `fz${id}z`;
  const mutations: string[] = [];
  let malformed = false;
  let closesEarly = false;
  const note = (m: string) => mutations.push(m);

  let method = rng.chance(0.7) ? rng.pick(METHODS.slice(0, 9)) : rng.pick(METHODS);
  if (!/^[A-Z-]+$/.test(method) || !['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE', 'M-SEARCH'].includes(method)) malformed = true;
  if (method === 'CONNECT') malformed = true;
  const subPath = door.format === 'none' && door.name === 'websocket' ? '' : door.name.startsWith('rest') ? rng.pick(REST_PATHS) : rng.pick(['/x', '/', '', '/a/b/c']);
  const parts: Buffer[] = [Buffer.from(door.prefix + subPath)];
  const segments = rng.chance(0.5) ? 1 + rng.int(4) : 0;
  for (let i = 0; i < segments; i++) {
    const r = rng.next();
    if (r < 0.6) parts.push(Buffer.from('/' + rng.pick(SEGMENTS)));
    else if (r < 0.75) parts.push(Buffer.from('/'), rng.pick(BAD_BYTES));
    else if (r < 0.85) parts.push(Buffer.from('/' + 'p'.repeat(10_500 + rng.int(2000))));
    else if (r < 0.92) parts.push(Buffer.from('/d'.repeat(1000 + rng.int(2000))));
    else parts.push(Buffer.from('/' + token));
  }
  if (segments) note(`path+${segments}`);
  if (parts.some((p) => p.some((b) => b >= 0x80 || b === 0x20))) malformed = true; // raw non-ASCII / spaces in the request line

  const query: string[] = [`t=${token}`];
  const q = rng.next();
  if (q < 0.1) { for (let i = 0; i < 2000 + rng.int(4000); i++) query.push(`p${i}=${i}`); note('many-params'); }
  else if (q < 0.2) { query.push('a=1', 'a=2', 'a=', 'a', '=x', '&&'); note('repeated-params'); }
  else if (q < 0.3) { query.push('bad=%zz', 'nul=%00', 'hi=%ff%fe', 'plus=a+b', 'sp=%20'); note('odd-params'); }
  else if (q < 0.35) { query.push(`big=${'q'.repeat(20_000)}`); note('long-param'); }
  let target = Buffer.concat([...parts, Buffer.from('?' + query.join('&'))]);
  if (rng.chance(0.03)) { target = Buffer.concat([Buffer.from(`http://${door.host}`), target]); note('absolute-form'); }
  if (rng.chance(0.02)) { target = Buffer.from('*'); note('asterisk'); }
  // Node's parser refuses a request target that is no path (`?q` alone), closing as for any protocol error.
  if (target[0] !== 0x2f && !mutations.includes('absolute-form')) malformed = true;

  const headers: [string, string | Buffer][] = [['Host', door.host], ['x-fuzz', token], ['Connection', 'close']];
  if (rng.chance(0.8) && door.pass) for (const [k, v] of Object.entries(door.pass)) headers.push([k, v]);
  if (door.name === 'websocket') {
    headers[2] = ['Connection', 'Upgrade'];
    if (rng.chance(0.8)) headers.push(['Upgrade', rng.pick(['websocket', 'WebSocket', 'h2c', ''])]);
    if (rng.chance(0.8)) headers.push(['Sec-WebSocket-Version', rng.pick(['13', '8', 'x', ''])]);
    if (rng.chance(0.8)) headers.push(['Sec-WebSocket-Key', rng.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'short', ''])]);
    method = rng.chance(0.8) ? 'GET' : method;
  }
  const h = rng.next();
  if (h < 0.08) { headers.push(['x-dup', 'one'], ['X-Dup', 'two'], ['x-dup', '']); note('repeated-headers'); }
  else if (h < 0.14) { headers.push(['Content-Type', 'application/json'], ['Content-Type', 'text/plain']); note('conflicting-content-type'); }
  else if (h < 0.18) { headers.push(['x-huge', 'h'.repeat(100_000 + rng.int(10_000))]); note('huge-header'); }
  else if (h < 0.22) { for (let i = 0; i < 300; i++) headers.push([`x-many-${i}`, String(i)]); note('many-headers'); }
  else if (h < 0.27) { headers.push(['x-bytes', Buffer.concat([Buffer.from('a'), rng.pick(BAD_BYTES), Buffer.from('b')])]); note('non-utf8-header'); }
  else if (h < 0.31) { headers.push(['Cookie', 'a=1; b=2; a=3; =x; ;'], ['Cookie', `c=${token}`]); note('cookies'); }
  else if (h < 0.36) { headers[0] = ['Host', rng.pick([door.host.toUpperCase(), door.host.split(':')[0], `${door.host.split(':')[0]}.:${door.host.split(':')[1]}`, '', 'other.example.com', `${door.host}, evil.example.com`])]; note('host-variant'); }
  else if (h < 0.38) { headers.push(['Host', 'evil.example.com']); note('second-host'); malformed = true; }
  else if (h < 0.41) { headers.push(['x-forwarded-for', 'not-an-ip, 1.2.3.4'], ['x-amzn-trace-id', 'Root=bogus'], ['x-amz-date', 'yesterday']); note('aws-headers'); }
  else if (h < 0.44) { headers.push(['Authorization', rng.pick(['Bearer x.y.z', 'AWS4-HMAC-SHA256 Credential=a/b, Signature=c', 'Basic %%%'])]); note('authorization'); }
  else if (h < 0.46) { headers.push(['x-bad\u0001name', 'v']); note('bad-header-name'); malformed = true; }

  let body: Buffer = Buffer.alloc(0);
  const b = rng.next();
  if (b < 0.25) body = Buffer.from(JSON.stringify({ n: rng.int(100), token }));
  else if (b < 0.35) body = Buffer.from(`{"n": "not a number", "t": "${token}"`);
  else if (b < 0.45) body = Buffer.concat([Buffer.from(token), ...Array.from({ length: 8 }, () => rng.pick(BAD_BYTES))]);
  else if (b < 0.5) body = Buffer.concat([Buffer.from(token), Buffer.alloc(200_000 + rng.int(400_000), 0x61)]);
  else if (b < 0.52) body = Buffer.concat([Buffer.from(token), Buffer.alloc(6 * 1024 * 1024 + rng.int(1024 * 1024), 0x62)]);
  else if (b < 0.54) body = Buffer.concat([Buffer.from(token), Buffer.alloc(10 * 1024 * 1024 + 1, 0x63)]);
  if (body.length > 1_000_000) note(`body ${body.length}`);
  if (body.length || rng.chance(0.3)) headers.push(['Content-Type', rng.pick(CONTENT_TYPES)]);
  if (body.length && rng.chance(0.15)) { headers.push(['Content-Encoding', rng.pick(['gzip', 'br', 'deflate', 'identity, gzip', 'x-unknown'])]); note('lying-encoding'); }
  if (rng.chance(0.1)) headers.push(['Accept-Encoding', rng.pick(['gzip', 'br;q=0, *', 'x'])]);

  let framed: Buffer = body;
  const f = rng.next();
  if (body.length && f < 0.15) {
    headers.push(['Transfer-Encoding', 'chunked']);
    framed = chunked(body, rng);
    note('chunked');
  } else if (f < 0.2) {
    headers.push(['Transfer-Encoding', 'chunked']);
    framed = Buffer.from(rng.pick(['zz\r\nabc\r\n0\r\n\r\n', '5\r\nabc\r\n0\r\n\r\n', '-1\r\n\r\n', 'ffffffffffffffff\r\nx\r\n', '3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n']));
    note('bad-chunks');
    malformed = true;
    // A chunk that announces more than is sent leaves the request unfinished: the client's to close.
    if (framed.toString().startsWith('ffff')) closesEarly = true;
  } else if (f < 0.23) {
    headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
    note('length-and-chunked');
    malformed = true;
  } else if (f < 0.26) {
    headers.push(['Content-Length', rng.pick([`${body.length}, ${body.length + 1}`, '-1', 'abc', '1e3'])]);
    note('bad-length');
    malformed = true;
  } else if (body.length || rng.chance(0.3)) {
    headers.push(['Content-Length', String(body.length)]);
  }
  if (rng.chance(0.04)) { closesEarly = true; note('closes-early'); }

  const head = Buffer.concat([
    Buffer.from(`${method} `), target, Buffer.from(' HTTP/1.1\r\n'),
    ...headers.flatMap(([k, v]) => [Buffer.from(`${k}: `), typeof v === 'string' ? Buffer.from(v) : v, Buffer.from('\r\n')]),
    Buffer.from('\r\n'),
  ]);
  if (head.length > 16 * 1024) malformed = true; // beyond Node's header limit: 431 and close
  let bytes = Buffer.concat([head, framed]);
  if (closesEarly) bytes = bytes.subarray(0, Math.max(1, rng.int(bytes.length)));
  return { door, token, bytes, mutations, malformed, closesEarly, subPath, method };
}

/** The body in random-sized well-formed chunks. */
function chunked(body: Buffer, rng: Random): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length;) {
    const n = Math.min(body.length - i, 1 + rng.int(64 * 1024));
    out.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(i, i + n), Buffer.from('\r\n'));
    i += n;
  }
  out.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(out);
}
