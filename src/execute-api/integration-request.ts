// Step 5 — integration request: what the integration is sent. Request parameters
// (integration.request.{header,querystring,path}.X from method.request.*, context.*,
// stageVariables.* or 'literals'), and for non-proxy integrations the payload: the request
// template for the request's content type, or the body passed through as passthroughBehavior says.
import type { InvocationContext } from './context.js';
import { header, newOverrides } from './context.js';
import { configurationError, unsupportedMediaType } from './errors.js';
import { evaluateJsonPath } from './jsonpath.js';
import { requestContext } from './proxy-event.js';
import { renderTemplate, type TemplateParams } from './vtl.js';

export interface MappedParameters {
  header: Record<string, string>;
  querystring: Record<string, string>;
  path: Record<string, string>;
}

/** $input.params(): the method request's path, query string and header values (last value each). */
export function templateParams(ctx: InvocationContext): TemplateParams {
  return {
    path: { ...(ctx.pathParameters ?? {}) },
    querystring: { ...(ctx.request.query ?? {}) },
    header: { ...ctx.request.headers },
  };
}

/** $context for a mapping template: the request context plus the (shared, mutable) overrides. */
export function templateContext(ctx: InvocationContext): Record<string, unknown> {
  ctx.overrides ??= newOverrides();
  return { ...requestContext(ctx), requestOverride: ctx.overrides.requestOverride, responseOverride: ctx.overrides.responseOverride };
}

/** The value a mapping expression names (method.request.*, context.*, stageVariables.*, 'literal'); undefined when absent. */
export function methodRequestValue(ctx: InvocationContext, expression: string): string | undefined {
  const e = expression.trim();
  if (e.length >= 2 && e.startsWith("'") && e.endsWith("'")) return e.slice(1, -1);
  const r = ctx.request;
  if (e.startsWith('method.request.path.')) return ctx.pathParameters?.[e.slice(20)];
  if (e.startsWith('method.request.querystring.')) return r.query?.[e.slice(27)];
  if (e.startsWith('method.request.multivaluequerystring.')) return r.multiQuery?.[e.slice(37)]?.join(',');
  if (e.startsWith('method.request.header.')) return header(r, e.slice(22));
  if (e.startsWith('method.request.multivalueheader.')) {
    const key = r.headerNames.get(e.slice(32).toLowerCase());
    return key === undefined ? undefined : r.multiHeaders[key].join(',');
  }
  if (e === 'method.request.body') return r.body.toString('utf8');
  if (e.startsWith('method.request.body.')) {
    try {
      const v = evaluateJsonPath(JSON.parse(r.body.toString('utf8')), '$.' + e.slice(20));
      return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
    } catch {
      return undefined;
    }
  }
  if (e.startsWith('stageVariables.')) return ctx.stageVariables?.[e.slice(15)];
  if (e.startsWith('context.')) {
    let v: unknown = requestContext(ctx);
    for (const part of e.slice(8).split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}

/** integration.request.* parameters of the integration, resolved for this request. */
export function mapRequestParameters(ctx: InvocationContext): MappedParameters {
  const out: MappedParameters = { header: {}, querystring: {}, path: {} };
  const params = ctx.integration?.requestParameters;
  if (!params) return out;
  for (const [target, source] of Object.entries(params)) {
    const m = /^integration\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(target);
    if (!m) continue;
    const value = methodRequestValue(ctx, source);
    if (value === undefined) continue;
    const kind = m[1] === 'multivalueheader' ? 'header' : m[1] === 'multivaluequerystring' ? 'querystring' : (m[1] as keyof MappedParameters);
    out[kind][m[2]] = value;
  }
  return out;
}

/** Integration request headers a mapping may not set (AWS answers 500), per integration type. */
const UNMAPPABLE_HEADERS = new Set(['content-length', 'transfer-encoding']);
const UNMAPPABLE_AWS_HEADERS = new Set(['content-length', 'transfer-encoding', 'authorization', 'connection', 'expect', 'proxy-authenticate', 'te']);

/** A request parameter mapping onto a header API Gateway sets itself is the API's configuration error. */
export function checkRequestParameterTargets(ctx: InvocationContext): void {
  const integration = ctx.integration;
  const params = integration?.requestParameters;
  if (!params) return;
  const forbidden = integration.type === 'AWS' || integration.type === 'AWS_PROXY' ? UNMAPPABLE_AWS_HEADERS : UNMAPPABLE_HEADERS;
  for (const target in params) {
    if (target.startsWith('integration.request.header.') && forbidden.has(target.slice(27).toLowerCase())) {
      throw configurationError(`The integration request header ${target.slice(27)} cannot be mapped`);
    }
  }
}

/** Applies `$context.requestOverride.*` set by the request template on top of the mapped parameters. */
export function withRequestOverrides(ctx: InvocationContext, mapped: MappedParameters): MappedParameters {
  const o = ctx.overrides?.requestOverride;
  if (!o) return mapped;
  return {
    header: { ...mapped.header, ...o.header },
    querystring: { ...mapped.querystring, ...o.querystring },
    path: { ...mapped.path, ...o.path },
  };
}

function bareType(contentType: string | undefined): string {
  if (!contentType) return 'application/json';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** The payload of a non-proxy integration, plus the content type the chosen template was keyed by. */
export function integrationPayload(ctx: InvocationContext): { body: Buffer; contentType: string | undefined; templated: boolean } {
  const integration = ctx.integration!;
  const templates = integration.requestTemplates ?? {};
  const requestType = header(ctx.request, 'content-type');
  const wanted = bareType(requestType);
  let key: string | undefined;
  for (const k in templates) if (k.toLowerCase() === wanted) key = k;
  if (key !== undefined) {
    const template = templates[key];
    const body = renderTemplate(template, {
      body: ctx.request.body.toString('utf8'),
      params: templateParams(ctx),
      context: templateContext(ctx),
      stageVariables: ctx.stageVariables,
    });
    return { body: Buffer.from(body), contentType: key, templated: true };
  }
  const behaviour = (integration.passthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase();
  const hasTemplates = Object.keys(templates).length > 0;
  if (behaviour === 'NEVER' || (behaviour === 'WHEN_NO_TEMPLATES' && hasTemplates)) throw unsupportedMediaType();
  return { body: ctx.request.body, contentType: requestType, templated: false };
}
