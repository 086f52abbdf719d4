// Where a request to a custom domain name goes, as API Gateway routes base path mappings: the
// mapping whose base path is the longest run of leading path segments (multi-level base paths such
// as "orders/v1" included) takes it, the '(none)' mapping takes every other path, and what follows
// the base path is the resource path. A mapping without a stage takes the stage from the next
// segment. No match: undefined (the caller answers 403 Forbidden, as AWS does).
import type { BasePathMappingRecord } from '../store/apigateway-store.js';
import { NO_BASE_PATH } from '../apigateway/domain-runtime.js';
import { rawTarget, splitQuery, type InvokeTarget } from './request.js';

/** A domain's mappings as requests are routed by them. */
export interface DomainRoutes {
  byBasePath: ReadonlyMap<string, BasePathMappingRecord>;
  /** Path segments in the longest base path: no request looks further. */
  depth: number;
}

export function domainRoutes(mappings: readonly BasePathMappingRecord[]): DomainRoutes {
  let depth = 1;
  for (const m of mappings) depth = Math.max(depth, m.basePath.split('/').length);
  return { byBasePath: new Map(mappings.map((m) => [m.basePath, m])), depth };
}

/** Splits "/first/rest" into ["first", "/rest"] ("/" when nothing follows); leading slashes are skipped, as AWS does. */
function firstSegment(path: string): [string, string] {
  let i = 0;
  while (i < path.length && path.charCodeAt(i) === 47) i++;
  const end = path.indexOf('/', i);
  return end < 0 ? [path.slice(i), '/'] : [path.slice(i, end), path.slice(end)];
}

function targetOf(mapping: BasePathMappingRecord, basePath: string, rawPath: string, rawQuery: string): InvokeTarget {
  if (mapping.stage !== undefined) return { apiId: mapping.restApiId, stage: mapping.stage, rawPath, rawQuery, basePath };
  const [stage, afterStage] = firstSegment(rawPath);
  return { apiId: mapping.restApiId, stage, rawPath: afterStage, rawQuery, basePath: `${basePath}/${stage}` };
}

export function domainTarget(routes: DomainRoutes, url: string): InvokeTarget | undefined {
  const [path, rawQuery] = splitQuery(rawTarget(url));
  let start = 0;
  while (start < path.length && path.charCodeAt(start) === 47) start++;
  // Where each of the first `depth` segments ends; then the longest candidate is tried first.
  const ends: number[] = [];
  for (let from = start; ends.length < routes.depth;) {
    const slash = path.indexOf('/', from);
    ends.push(slash < 0 ? path.length : slash);
    if (slash < 0) break;
    from = slash + 1;
  }
  for (let k = ends.length - 1; k >= 0; k--) {
    const basePath = path.slice(start, ends[k]);
    const mapping = basePath === NO_BASE_PATH ? undefined : routes.byBasePath.get(basePath);
    if (mapping) return targetOf(mapping, `/${basePath}`, path.slice(ends[k]) || '/', rawQuery);
  }
  const fallback = routes.byBasePath.get(NO_BASE_PATH);
  return fallback && targetOf(fallback, '', path === '' ? '/' : path, rawQuery);
}
