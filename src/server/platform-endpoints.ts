// Platform endpoints under /_stagecraft/: health (JSON) and metrics (Prometheus text format).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FrontHandler } from './edge.js';
import type { Modules } from './modules.js';
import type { Config } from '../core/config.js';

export function createPlatformEndpoints(deps: { version: string; startedAt: number; modules: Modules; config: Config }): FrontHandler {
  return {
    claims: (_req: IncomingMessage, url: URL) => url.pathname.startsWith('/_stagecraft/'),
    async handle(req: IncomingMessage, res: ServerResponse, url: URL) {
      req.resume();
      if (url.pathname === '/_stagecraft/health' && (req.method === 'GET' || req.method === 'HEAD')) {
        const body = JSON.stringify({
          status: 'ok',
          version: deps.version,
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
          store: deps.config.database ? 'postgres' : 'sqlite',
          dataDir: deps.config.dataDir,
          authentication: deps.config.credentials ? 'sigv4' : 'none',
          // The region of requests that name none (the web console's by default), for ARNs it builds.
          defaultRegion: deps.config.defaultRegion,
          ...deps.modules.health(),
        });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (url.pathname === '/_stagecraft/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
        const text = await deps.modules.metrics.text();
        res.writeHead(200, { 'Content-Type': deps.modules.metrics.contentType, 'Content-Length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
      const body = JSON.stringify({ message: `Not found: ${url.pathname}` });
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(body);
    },
  };
}
