// A function URL's CORS settings applied as AWS documents them: Lambda answers preflight
// requests (OPTIONS with Origin and Access-Control-Request-Method) itself, without calling the
// function, and adds the CORS headers to every other answer for an allowed origin, in place of
// any the function set.
import type { Cors } from '../aws/generated/lambda.js';

type Headers = Record<string, string>;

const lower = (values: string[] | undefined): string[] => (values ?? []).map((v) => v.toLowerCase());

/** The Access-Control-Allow-Origin value for a request's Origin, or undefined when it is not allowed. */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = lower(cors.AllowOrigins);
  if (origins.includes(origin.toLowerCase())) return origin;
  // With credentials a browser refuses '*', so the origin itself is named.
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return undefined;
}

export function isPreflight(method: string, headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/** The headers of Lambda's own answer to a preflight request (none when the origin or method is not allowed). */
export function preflightHeaders(cors: Cors, origin: string | undefined, requestMethod: string | undefined): Headers {
  const allow = allowedOrigin(cors, origin);
  const methods = lower(cors.AllowMethods);
  if (!allow || !requestMethod || !(methods.includes('*') || methods.includes(requestMethod.toLowerCase()))) return {};
  const out: Headers = { 'access-control-allow-origin': allow };
  if (cors.AllowMethods?.length) out['access-control-allow-methods'] = cors.AllowMethods.join(',');
  if (cors.AllowHeaders?.length) out['access-control-allow-headers'] = cors.AllowHeaders.join(',');
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
  if (allow !== '*') out.vary = 'Origin';
  return out;
}

/** Replaces the CORS headers of an answer to an allowed origin with the URL's. */
export function applyCors(cors: Cors, origin: string | undefined, headers: Headers): void {
  const allow = allowedOrigin(cors, origin);
  if (!allow) return;
  for (const name of Object.keys(headers)) if (name.startsWith('access-control-')) delete headers[name];
  headers['access-control-allow-origin'] = allow;
  if (cors.ExposeHeaders?.length) headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (allow !== '*') headers.vary = headers.vary ? `${headers.vary}, Origin` : 'Origin';
}
