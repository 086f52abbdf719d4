// The stage cache step of the REST chain, around the integration (AWS's documented rules):
// - a stage caches only while its cache cluster is enabled; a canary request uses the stage's
//   cache only when the canary's useStageCache is true, and otherwise is never cached;
// - a method caches when its own method settings enable caching, or, for GET requests only, when
//   the stage-wide "*/*" settings do ("only GET methods have caching enabled by default");
//   cacheTtlInSeconds 0 turns it off;
// - the key is the integration's cacheNamespace (the resource id by default), the HTTP method and
//   the values of the integration's cacheKeyParameters. Nothing else of the request is in it:
//   path parameters and query strings that are not listed share one entry, as on AWS;
// - only 2xx answers are kept (so a failing backend is asked again on the next request), and
//   never a streamed one or one over 1 MB;
// - `Cache-Control: max-age=0` skips the cache and refreshes the entry when the caller may
//   invalidate it: requireAuthorizationForCacheControl is off, or the method is AWS_IAM and the
//   request's signature was admitted (there are no IAM policies here, so a signed caller holds
//   execute-api:InvalidateCache). Others meet unauthorizedCacheControlHeaderStrategy.
import type { MethodSetting } from '../aws/generated/apigateway.js';
import type { InvocationContext, InvocationResponse } from './context.js';
import { header } from './context.js';
import { cacheInvalidationDenied } from './errors.js';
import { methodSettingKey } from './method-throttle.js';
import type { ResponseCache } from './response-cache.js';
import type { ApiRequestMetrics } from '../metrics/metrics.js';

const DEFAULT_TTL_SECONDS = 300;
const DEFAULT_SIZE = '0.5';
/** What AWS adds when it ignores an unauthorized caller's Cache-Control. */
export const UNAUTHORIZED_CACHE_CONTROL_WARNING = '199 Cache-control headers were ignored because the caller was unauthorized.';

interface CachePlan {
  key: string;
  ttl: number;
  /** Whether a cached answer may be served (false: the caller refreshes the entry). */
  read: boolean;
  /** Whether to add the Warning header for an ignored Cache-Control. */
  warn: boolean;
}

/** Runs the integration through the stage's cache (the stage has a cache cluster) when the method caches. */
export async function withResponseCache(
  ctx: InvocationContext, cache: ResponseCache, integrate: () => Promise<InvocationResponse> | InvocationResponse, metrics?: ApiRequestMetrics,
): Promise<InvocationResponse> {
  const stage = ctx.resolved!.stage;
  const plan = cachePlan(ctx);
  if (!plan) return integrate();
  const size = stage.cacheClusterSize ?? DEFAULT_SIZE;
  if (plan.read) {
    const hit = cache.get(ctx.apiId, ctx.stageName, size, plan.key);
    if (hit) {
      metrics?.apiCache(ctx.apiId, ctx.stageName, true);
      ctx.log?.add('Sending response from the stage cache');
      return warned({ status: hit.status, headers: { ...hit.headers }, body: hit.body }, plan.warn);
    }
  }
  metrics?.apiCache(ctx.apiId, ctx.stageName, false);
  const response = await integrate();
  if (response.status >= 200 && response.status < 300 && !response.stream) {
    if (cache.set(ctx.apiId, ctx.stageName, size, plan.key, response, plan.ttl)) ctx.log?.add(`Response cached for ${plan.ttl} seconds`);
  }
  return warned(response, plan.warn);
}

function warned(response: InvocationResponse, warn: boolean): InvocationResponse {
  if (warn) response.headers = { ...response.headers, Warning: UNAUTHORIZED_CACHE_CONTROL_WARNING };
  return response;
}

/** How this request uses the cache, or undefined when its method does not cache. */
function cachePlan(ctx: InvocationContext): CachePlan | undefined {
  const resolved = ctx.resolved!;
  if (ctx.canary && !resolved.canary?.useStageCache) return undefined;
  const settings = settingsOf(ctx);
  if (!settings?.cachingEnabled) return undefined;
  const ttl = settings.cacheTtlInSeconds ?? DEFAULT_TTL_SECONDS;
  if (ttl <= 0) return undefined;
  let read = true;
  let warn = false;
  if (asksForFresh(ctx)) {
    if (settings.requireAuthorizationForCacheControl === false || ctx.iamCaller) read = false;
    else {
      const strategy = settings.unauthorizedCacheControlHeaderStrategy ?? 'SUCCEED_WITH_RESPONSE_HEADER';
      if (strategy === 'FAIL_WITH_403') throw cacheInvalidationDenied();
      warn = strategy === 'SUCCEED_WITH_RESPONSE_HEADER';
    }
  }
  return { key: cacheKey(ctx), ttl, read, warn };
}

/** The method's own settings, else (GET requests only) the stage-wide ones. */
function settingsOf(ctx: InvocationContext): MethodSetting | undefined {
  const all = ctx.resolved!.stage.methodSettings;
  const own = all[methodSettingKey(ctx.resource!.path, ctx.method!.httpMethod)];
  if (own) return own;
  return ctx.request.method === 'GET' ? all['*/*'] : undefined;
}

function asksForFresh(ctx: InvocationContext): boolean {
  const value = header(ctx.request, 'cache-control');
  return value !== undefined && value.split(',').some((d) => d.trim().toLowerCase() === 'max-age=0');
}

function cacheKey(ctx: InvocationContext): string {
  const integration = ctx.integration!;
  const parts: string[] = [integration.cacheNamespace ?? ctx.resource!.id, ctx.request.method];
  for (const name of integration.cacheKeyParameters ?? []) parts.push(name, keyValue(ctx, name));
  return JSON.stringify(parts);
}

/**
 * One cache key parameter's value: a method request parameter (method.request.{querystring,header,
 * path}.name), or an integration request parameter through the mapping that fills it.
 */
function keyValue(ctx: InvocationContext, name: string): string {
  let source = name;
  if (name.startsWith('integration.request.')) source = ctx.integration!.requestParameters?.[name] ?? '';
  if (!source.startsWith('method.request.')) return /^'.*'$/.test(source) ? source.slice(1, -1) : '';
  const rest = source.slice('method.request.'.length);
  const dot = rest.indexOf('.');
  const where = rest.slice(0, dot);
  const param = rest.slice(dot + 1);
  const request = ctx.request;
  if (where === 'querystring') return request.multiQuery?.[param]?.join(',') ?? '';
  if (where === 'header') {
    const cased = request.headerNames.get(param.toLowerCase());
    return cased === undefined ? '' : (request.multiHeaders[cased] ?? [request.headers[cased]]).join(',');
  }
  if (where === 'path') return ctx.pathParameters?.[param] ?? '';
  return '';
}
