// Where a request to a custom domain name goes, as API Gateway routes base path mappings: the first
// path segment picks the mapping with that base path, the '(none)' mapping takes every other path,
// and what follows the base path is the resource path. A mapping without a stage takes the stage
// from the next segment. No match: undefined (the caller answers 403 Forbidden, as AWS does).
import type { BasePathMappingRecord } from '../store/apigateway-store.js';
import { NO_BASE_PATH } from '../apigateway/domain-runtime.js';
import { rawTarget, splitQuery, type InvokeTarget } from './request.js';

/** Splits "/first/rest" into ["first", "/rest"] ("/" when nothing follows); leading slashes are skipped, as AWS does. */
function firstSegment(path: string): [string, string] {
  let i = 0;
  while (i < path.length && path.charCodeAt(i) === 47) i++;
  const end = path.indexOf('/', i);
  return end < 0 ? [path.slice(i), '/'] : [path.slice(i, end), path.slice(end)];
}

export function domainTarget(mappings: ReadonlyMap<string, BasePathMappingRecord>, url: string): InvokeTarget | undefined {
  const [path, rawQuery] = splitQuery(rawTarget(url));
  const [segment, rest] = firstSegment(path);
  let mapping = segment === NO_BASE_PATH ? undefined : mappings.get(segment);
  let basePath = `/${segment}`;
  let rawPath = rest;
  if (!mapping) {
    mapping = mappings.get(NO_BASE_PATH);
    if (!mapping) return undefined;
    basePath = '';
    rawPath = path === '' ? '/' : path;
  }
  if (mapping.stage !== undefined) return { apiId: mapping.restApiId, stage: mapping.stage, rawPath, rawQuery, basePath };
  const [stage, afterStage] = firstSegment(rawPath);
  return { apiId: mapping.restApiId, stage, rawPath: afterStage, rawQuery, basePath: `${basePath}/${stage}` };
}
