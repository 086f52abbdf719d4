// HTTP API route keys: `$default`, or `METHOD /path` where METHOD is an HTTP method or ANY and the
// path's segments are literals, `{name}` parameters, or a last `{name+}` greedy parameter.
import { badRequest } from '../apigateway/errors.js';

export const DEFAULT_ROUTE = '$default';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

export interface RouteSegment {
  literal?: string;
  param?: string;
  greedy?: boolean;
}

export interface ParsedRouteKey {
  method: string;
  path: string;
  segments: RouteSegment[];
}

/** The parsed key, or undefined for `$default`; AWS's BadRequestException for a malformed key. */
export function parseRouteKey(routeKey: string): ParsedRouteKey | undefined {
  if (routeKey === DEFAULT_ROUTE) return undefined;
  const invalid = () => badRequest(`Unable to create route ${routeKey}: the route key must be $default or an HTTP method followed by a path, as in "GET /pets/{id}"`);
  const space = routeKey.indexOf(' ');
  if (space < 0) throw invalid();
  const method = routeKey.slice(0, space);
  const path = routeKey.slice(space + 1);
  if (!METHODS.has(method) || !path.startsWith('/')) throw invalid();
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const names = new Set<string>();
  const segments = parts.map((part, i): RouteSegment => {
    if (part === '') throw invalid();
    const m = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (!m) {
      if (/[{}]/.test(part)) throw invalid();
      return { literal: part };
    }
    const greedy = m[2] === '+';
    if ((greedy && i !== parts.length - 1) || names.has(m[1])) throw invalid();
    names.add(m[1]);
    return greedy ? { param: m[1], greedy } : { param: m[1] };
  });
  return { method, path, segments };
}
