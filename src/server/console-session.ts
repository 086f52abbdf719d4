// Console sign-in when the server verifies signatures. A browser cannot sign SigV4 requests on a
// plain-HTTP origin (WebCrypto is only there on secure origins), so the console signs in once with
// an access key and its secret and gets a session cookie instead. The cookie is stateless, so any
// node with the same credentials accepts it: `{keyId}.{expiry}.{HMAC-SHA256(secret, keyId, expiry)}`.
// Changing a key's secret ends its sessions. A session counts only on requests that also carry the
// `X-Stagecraft-Console` header: another site can make a browser send the cookie (it is
// SameSite=Strict anyway) but cannot add a custom header without a CORS preflight we never grant.
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FrontHandler } from './edge.js';
import { readBody } from '../aws/body.js';
import { sameText } from '../aws/sigv4-verify.js';

export const CONSOLE_HEADER = 'x-stagecraft-console';
const COOKIE = 'stagecraft_console';
const SESSION_PATH = '/_stagecraft/session';
const TTL_SECONDS = 12 * 3600;

export class ConsoleSessions {
  readonly #credentials: ReadonlyMap<string, string>;
  readonly #now: () => number;

  constructor(credentials: Record<string, string>, now: () => number = Date.now) {
    this.#credentials = new Map(Object.entries(credentials));
    this.#now = now;
  }

  /** A session cookie value for a correct key and secret, else undefined. */
  signIn(accessKeyId: string, secretAccessKey: string): string | undefined {
    const secret = this.#credentials.get(accessKeyId);
    if (secret === undefined || !sameText(secret, secretAccessKey)) return undefined;
    const expires = Math.floor(this.#now() / 1000) + TTL_SECONDS;
    return `${accessKeyId}.${expires}.${mac(secret, accessKeyId, expires)}`;
  }

  /** The access key of a request's valid console session (cookie and console header), else undefined. */
  accessKeyOf(headers: IncomingHttpHeaders): string | undefined {
    if (headers[CONSOLE_HEADER] === undefined) return undefined;
    const token = cookieValue(headers.cookie, COOKIE);
    const [accessKeyId, expiresText, given] = token?.split('.') ?? [];
    const secret = accessKeyId === undefined ? undefined : this.#credentials.get(accessKeyId);
    const expires = Number(expiresText);
    if (secret === undefined || given === undefined || !Number.isInteger(expires)) return undefined;
    if (expires * 1000 <= this.#now()) return undefined;
    return sameText(given, mac(secret, accessKeyId, expires)) ? accessKeyId : undefined;
  }
}

const mac = (secret: string, accessKeyId: string, expires: number): string =>
  createHmac('sha256', secret).update(`stagecraft-console\n${accessKeyId}\n${expires}`).digest('hex');

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers }).end(text);
}

/**
 * `/_stagecraft/session`: GET says whether sign-in is needed and who is signed in; POST
 * `{accessKeyId, secretAccessKey}` signs in; DELETE signs out. Without credentials configured
 * there is nothing to sign in to (`authentication: "none"`).
 */
export function createConsoleSessionFront(sessions: ConsoleSessions | undefined): FrontHandler {
  return {
    claims: (_req: IncomingMessage, url: URL) => url.pathname === SESSION_PATH,
    async handle(req: IncomingMessage, res: ServerResponse) {
      if (req.method === 'GET') {
        req.resume();
        const accessKeyId = sessions?.accessKeyOf({ ...req.headers, [CONSOLE_HEADER]: '1' });
        sendJson(res, 200, { authentication: sessions ? 'sigv4' : 'none', signedIn: accessKeyId !== undefined, ...(accessKeyId ? { accessKeyId } : {}) });
        return;
      }
      if (req.method === 'DELETE') {
        req.resume();
        sendJson(res, 200, { signedIn: false }, { 'Set-Cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` });
        return;
      }
      if (req.method !== 'POST' || req.headers[CONSOLE_HEADER] === undefined) {
        req.resume();
        sendJson(res, 405, { message: 'Use GET, POST (with the console header) or DELETE.' });
        return;
      }
      let input: { accessKeyId?: unknown; secretAccessKey?: unknown };
      try {
        input = JSON.parse((await readBody(req, 16 * 1024)).toString('utf8')) as typeof input;
      } catch {
        sendJson(res, 400, { message: 'Expected a JSON body {"accessKeyId": …, "secretAccessKey": …}.' });
        return;
      }
      if (!sessions) {
        sendJson(res, 400, { message: 'This server does not verify signatures: there is nothing to sign in to.' });
        return;
      }
      const token = typeof input.accessKeyId === 'string' && typeof input.secretAccessKey === 'string'
        ? sessions.signIn(input.accessKeyId, input.secretAccessKey)
        : undefined;
      if (!token) {
        sendJson(res, 403, { message: 'The access key or its secret is not one this server accepts.' });
        return;
      }
      sendJson(res, 200, { signedIn: true, accessKeyId: input.accessKeyId }, {
        'Set-Cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${TTL_SECONDS}`,
      });
    },
  };
}
