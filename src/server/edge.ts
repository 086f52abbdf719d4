// The edge dispatcher: one HTTP port, and a decision per request about who serves it —
// platform endpoints (/_stagecraft/*), API invocations (execute-api), or an AWS service API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModule } from './service-module.js';
import type { RequestContext } from '../aws/request-context.js';
import { credentialScope } from '../aws/sigv4-scope.js';
import { newRequestId } from '../core/ids.js';
import { awsError } from '../core/errors.js';
import { writeError } from '../aws/protocols/rest-json.js';
import { logger } from '../core/logger.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import { authFailureError } from '../aws/auth-errors.js';
import type { ConsoleSessions } from './console-session.js';
import type { BodyBudget } from '../aws/body-budget.js';

/** A handler for requests that are not AWS API calls (execute-api, platform endpoints). */
export interface FrontHandler {
  claims(req: IncomingMessage, url: URL): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export interface EdgeOptions {
  accountId: string;
  defaultRegion: string;
  fronts: FrontHandler[];
  services: ServiceModule[];
  /** Verifies AWS API requests' signatures; absent, any credentials are accepted. */
  verifier?: SigV4Verifier;
  /** Console sign-ins, accepted instead of a signature on the console's own requests. */
  consoleSessions?: ConsoleSessions;
  /** Request bytes held in memory at once, across every AWS API request. */
  bodyBudget?: BodyBudget;
}

export function createEdge(options: EdgeOptions) {
  // Modules that share a signing name (API Gateway's REST and HTTP API control planes) are told apart by what they claim.
  const bySigningName = new Map<string, ServiceModule[]>();
  for (const s of options.services) for (const n of s.signingNames) bySigningName.set(n, [...(bySigningName.get(n) ?? []), s]);
  const signedFor = (name: string, req: IncomingMessage, url: URL): ServiceModule | undefined => {
    const modules = bySigningName.get(name);
    if (!modules || modules.length === 1) return modules?.[0];
    return modules.find((s) => s.claims(req, url)) ?? modules[0];
  };

  return async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.writeHead(400).end();
      return;
    }
    try {
      for (const front of options.fronts) {
        if (front.claims(req, url)) return await front.handle(req, res, url);
      }
      const scope = credentialScope(req.headers, url.searchParams);
      const service = (scope && signedFor(scope.service, req, url)) ?? options.services.find((s) => s.claims(req, url));
      const ctx: RequestContext = {
        requestId: newRequestId(),
        accountId: options.accountId,
        region: scope?.region ?? options.defaultRegion,
        baseUrl: `http://${req.headers.host ?? 'localhost'}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: String(req.headers['user-agent'] ?? ''),
        bodyLease: options.bodyBudget?.lease(res),
      };
      // Made when first asked for (SQS long polls), so other requests pay nothing for it.
      let gone: AbortSignal | undefined;
      Object.defineProperty(ctx, 'clientGone', { get: () => (gone ??= clientGone(res)), enumerable: true });
      if (options.verifier && service) ctx.authenticate = authenticator(options.verifier, options.consoleSessions, req, service, ctx);
      if (!service) {
        req.resume();
        writeError(res, ctx, awsError('UnknownOperationException', `No service serves ${req.method} ${url.pathname}`));
        return;
      }
      await service.handle(req, res, url, ctx);
    } catch (e) {
      logger.error('request failed', { path: url.pathname, error: e instanceof Error ? e.stack : String(e) });
      if (!res.headersSent) writeError(res, { requestId: newRequestId() }, awsError('InternalFailure', 'An internal error occurred.'));
      else res.destroy();
    }
  };
}

/** Checks one request's signature over its body; throws the service protocol's AWS error. */
function authenticator(verifier: SigV4Verifier, sessions: ConsoleSessions | undefined, req: IncomingMessage, service: ServiceModule, ctx: RequestContext) {
  return async (body: Buffer): Promise<void> => {
    const consoleKey = sessions?.accessKeyOf(req.headers);
    if (consoleKey !== undefined) {
      ctx.accessKeyId = consoleKey;
      return;
    }
    const outcome = await verifier.verify({ method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers, body });
    if ('kind' in outcome) throw authFailureError(outcome, service.authErrorStyle ?? 'rest-json');
    ctx.accessKeyId = outcome.accessKeyId;
  };
}

/** A signal aborted when the connection closes (or has closed) before the answer has been written in full. */
function clientGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  if (res.closed) {
    if (!res.writableFinished) gone.abort();
  } else {
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
  }
  return gone.signal;
}
