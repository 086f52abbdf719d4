// Route selection of HTTP APIs, as AWS documents it: the most specific route wins — a literal
// segment over a `{param}`, a `{param}` over a greedy `{proxy+}`, a route for the request's method
// over ANY — and `$default` catches what nothing else matches. Compiled once per deployment.
import type { RouteRecord } from '../store/httpapi-store.js';
import { parseRouteKey, type RouteSegment } from './route-keys.js';

export interface RouteMatch {
  route: RouteRecord;
  /** The route key's path ('$default' for the default route), e.g. "/items/{id}". */
  path: string;
  pathParameters: Record<string, string>;
}

interface Compiled {
  route: RouteRecord;
  method: string;
  path: string;
  segments: RouteSegment[];
  /** Sorts the candidates: more literal segments, then more (non-greedy) parameters, then a named method. */
  rank: number[];
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchPath(segments: RouteSegment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.greedy) {
      if (i >= parts.length || parts.slice(i).join('/') === '') return undefined;
      params[seg.param!] = decode(parts.slice(i).join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return undefined;
    } else {
      params[seg.param!] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

export class HttpApiRouter {
  readonly #routes: Compiled[];
  readonly #default: RouteRecord | undefined;

  constructor(routes: readonly RouteRecord[]) {
    const compiled: Compiled[] = [];
    let fallback: RouteRecord | undefined;
    for (const route of routes) {
      const parsed = parseRouteKey(route.routeKey);
      if (!parsed) {
        fallback = route;
        continue;
      }
      const literals = parsed.segments.filter((s) => s.literal !== undefined).length;
      const params = parsed.segments.filter((s) => s.param !== undefined && !s.greedy).length;
      const greedy = parsed.segments.some((s) => s.greedy) ? 0 : 1;
      compiled.push({ route, method: parsed.method, path: parsed.path, segments: parsed.segments, rank: [literals, greedy, params, parsed.method === 'ANY' ? 0 : 1] });
    }
    compiled.sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i];
      return 0;
    });
    this.#routes = compiled;
    this.#default = fallback;
  }

  /** The route for a method and a path (without the stage, still percent-encoded), or undefined (AWS's 404). */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const parts = trimmed === '/' ? [] : trimmed.slice(1).split('/');
    for (const c of this.#routes) {
      if (c.method !== method && c.method !== 'ANY') continue;
      const params = matchPath(c.segments, parts);
      if (params) return { route: c.route, path: c.path, pathParameters: params };
    }
    return this.#default ? { route: this.#default, path: '$default', pathParameters: {} } : undefined;
  }
}
