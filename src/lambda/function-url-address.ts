// Where a function URL lives. AWS's form is https://{url-id}.lambda-url.{region}.on.aws/; here it is
// http://{url-id}.lambda-url.{region}.localhost:{port}/ (`*.localhost` resolves to loopback), and
// http://{host}:{port}/lambda-url/{url-id}/ for clients that cannot choose a host name.
import { newShortId } from '../core/ids.js';

/** AWS's url-ids are 32 lowercase alphanumerics. */
export const newUrlId = (): string => newShortId(32);

/** The FunctionUrl for a url-id, on the port the client reached us on (from the request's base URL). */
export function functionUrlOf(urlId: string, region: string, baseUrl: string): string {
  let port = '';
  try {
    port = new URL(baseUrl).port;
  } catch {
    // a malformed Host header: the URL without a port
  }
  return `http://${urlId}.lambda-url.${region}.localhost${port ? `:${port}` : ''}/`;
}

const HOST_FORM = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\./i;
const PATH_FORM = /^\/lambda-url\/([a-z0-9]{32})(?=[/?#]|$)/i;

/** What a request addresses: the url-id, the region its host names (if any) and the raw path and query. */
export interface UrlTarget {
  urlId: string;
  /** From the host form; undefined for the path form. */
  region?: string;
  /** The raw path after the URL's root, starting with '/'. */
  rawPath: string;
  rawQuery: string;
}

/** True when the host or the raw request-target addresses a function URL. */
export function isFunctionUrlRequest(host: string | undefined, target: string | undefined): boolean {
  return (host !== undefined && HOST_FORM.test(host)) || (target !== undefined && PATH_FORM.test(target));
}

export function urlTarget(host: string | undefined, target: string): UrlTarget | undefined {
  if (!target.startsWith('/')) target = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  let path = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const byHost = host ? HOST_FORM.exec(host) : null;
  if (byHost) return { urlId: byHost[1].toLowerCase(), region: byHost[2].toLowerCase(), rawPath: path || '/', rawQuery };
  const byPath = PATH_FORM.exec(path);
  if (!byPath) return undefined;
  path = path.slice(byPath[0].length);
  return { urlId: byPath[1].toLowerCase(), rawPath: path === '' ? '/' : path, rawQuery };
}
