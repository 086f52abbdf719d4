// The web console's static files (console/ at the repository root) at /_stagecraft/console/.
// Only plain file names that exist in console/ when the server starts are served; the raw request
// path is checked (before any URL normalisation), so `..`, encoded or not, never leaves the folder.
// A few of the CLI's own pure modules (compiled, from dist/src/deploy/) are served beside them, so
// the console's promotion previews and stage actions use the very code the CLI uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrontHandler } from './edge.js';

export const CONSOLE_PATH = '/_stagecraft/console';

/** console/ at the repository root (this file runs as dist/src/server/console.js). */
export const defaultConsoleDir = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'console');

/** dist/src/deploy/, where the shared modules are compiled to. */
export const sharedModuleDir = join(fileURLToPath(import.meta.url), '..', '..', 'deploy');

/** The CLI's modules the console imports (each imports only the others in this list). */
export const SHARED_CONSOLE_MODULES = ['canonical-json.js', 'function-config-diff.js', 'route-diff.js', 'api-gateway-grants.js', 'stage-promotion-plan.js', 'stage-preview-result.js',
  'alias-state.js', 'promotion-error.js', 'stack-promotion-plan.js'];

/** A shared module as the browser gets it: without its source map comment (the map is not served). */
export function readSharedModule(name: string, dir = sharedModuleDir): Buffer {
  return Buffer.from(readFileSync(join(dir, name), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  png: 'image/png',
};

/** A served name: letters, digits, `-` and `_`, one dot, a known extension. Nothing else. */
const FILE_NAME = /^[A-Za-z0-9_-]+\.(html|css|js|svg|ico|png)$/;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function listFiles(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).filter((n) => FILE_NAME.test(n) && statSync(join(dir, n)).isFile()));
  } catch {
    return new Set();
  }
}

export function createConsoleFront(options: { dir?: string; sharedDir?: string } = {}): FrontHandler {
  const dir = options.dir ?? defaultConsoleDir;
  const files = listFiles(dir);
  const sharedDir = options.sharedDir ?? sharedModuleDir;
  const shared = new Set(SHARED_CONSOLE_MODULES.filter((n) => !files.has(n) && listFiles(sharedDir).has(n)));

  function notFound(req: IncomingMessage, res: ServerResponse, path: string): void {
    const body = JSON.stringify({ message: `Not found: ${path}` });
    res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    // Claimed on the raw path too, so a traversal attempt that URL parsing would normalise away
    // (`/_stagecraft/console/../../x`, `%2e%2e`) is answered here with a 404.
    claims: (req: IncomingMessage, url: URL) => {
      const raw = rawPath(req);
      return isConsolePath(raw) || isConsolePath(url.pathname);
    },
    async handle(req: IncomingMessage, res: ServerResponse) {
      req.resume();
      const raw = rawPath(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'application/json', ...SECURITY_HEADERS });
        res.end(JSON.stringify({ message: `Method ${req.method} not allowed on ${raw}` }));
        return;
      }
      // index.html names its script and stylesheet by absolute path, so both forms work.
      const rest = raw.slice(CONSOLE_PATH.length + 1);
      const name = rest === '' ? 'index.html' : rest;
      if (!FILE_NAME.test(name) || !(files.has(name) || shared.has(name))) return notFound(req, res, raw);
      let body: Buffer;
      try {
        body = shared.has(name) ? readSharedModule(name, sharedDir) : readFileSync(join(dir, name));
      } catch {
        return notFound(req, res, raw);
      }
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const headers = {
        'Content-Type': CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
        // Revalidate every time (cheap, and a server upgrade is seen at once); 304 when unchanged.
        'Cache-Control': 'no-cache',
        ETag: etag,
        ...SECURITY_HEADERS,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

function rawPath(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}
