// Step 7 — integration response (non-proxy integrations): pick the integration response whose
// selectionPattern matches (the status code for HTTP and MOCK, the errorMessage of a Lambda
// function error), else the default one; then map the body through its template for the
// client's Accept type, set response parameters and apply $context.responseOverride.
import type { Readable } from 'node:stream';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { IntegrationResponse } from '../aws/generated/apigateway.js';
import type { InvocationContext, InvocationResponse } from './context.js';
import { header } from './context.js';
import { configurationError } from './errors.js';
import { isFinalStatus } from './http-status.js';
import { evaluateJsonPath } from './jsonpath.js';
import { firstAccepted } from './media-types.js';
import { templateContext, templateParams } from './integration-request.js';
import { renderTemplate } from './vtl.js';
import { userRegExp } from '../core/linear-regex.js';

/** What the integration's endpoint answered, before mapping. */
export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body as it comes (HTTP_PROXY with response transfer mode STREAM); `body` is then empty. */
  stream?: Readable;
}

/**
 * Headers API Gateway owns: an endpoint's (HTTP_PROXY) or a response parameter's value for them
 * reaches the client as x-amzn-Remapped-{name}.
 */
export const REMAPPED_RESPONSE_HEADERS = new Set([
  'authorization', 'connection', 'content-length', 'content-md5', 'date', 'expect', 'host', 'max-forwards', 'proxy-authenticate',
  'server', 'trailer', 'upgrade', 'user-agent', 'www-authenticate', 'x-amzn-requestid',
]);

export const remappedName = (name: string): string => (REMAPPED_RESPONSE_HEADERS.has(name.toLowerCase()) ? `x-amzn-Remapped-${name}` : name);

// Compiled once per pattern (the cache is process-wide, so per deployment at most) and run on the
// linear-time engine: an errorMessage is the function's to choose, a pattern the API owner's.
const patterns = new Map<string, RegExp | null>();

function patternOf(source: string): RegExp | null {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = userRegExp(`^(?:${source})$`);
    } catch {
      re = null;
    }
    if (patterns.size > 1024) patterns.clear();
    patterns.set(source, re);
  }
  return re;
}

/** The integration response for a selector value; the default (no pattern) when none matches. */
export function selectIntegrationResponse(responses: Record<string, IntegrationResponse> | undefined, selector: string | undefined): IntegrationResponse | undefined {
  if (!responses) return undefined;
  let fallback: IntegrationResponse | undefined;
  const entries = Object.values(responses);
  for (const r of entries) {
    const p = r.selectionPattern;
    if (p === undefined || p === null || p === '') {
      fallback ??= r;
      continue;
    }
    if (selector !== undefined && patternOf(p)?.test(selector)) return r;
  }
  return fallback;
}

export function pickTemplate(templates: Record<string, string> | undefined, accept: string | undefined): [string, string] | undefined {
  if (!templates) return undefined;
  const keys = Object.keys(templates);
  if (keys.length === 0) return undefined;
  const wanted = firstAccepted(accept);
  if (wanted) for (const k of keys) if (k.toLowerCase() === wanted) return [k, templates[k]];
  for (const k of keys) if (k.toLowerCase() === 'application/json') return [k, templates[k]];
  return [keys[0], templates[keys[0]]];
}

function responseParameterValue(source: string, endpoint: EndpointResponse, bodyJson: () => unknown): string | undefined {
  const s = source.trim();
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1);
  if (s.startsWith('integration.response.header.')) {
    const name = s.slice(28).toLowerCase();
    for (const k in endpoint.headers) if (k.toLowerCase() === name) return endpoint.headers[k];
    return undefined;
  }
  if (s === 'integration.response.body') return endpoint.body.toString('utf8');
  if (s.startsWith('integration.response.body.')) {
    const v = evaluateJsonPath(bodyJson(), '$.' + s.slice(26));
    return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return undefined;
}

/** Header names and values a client can be sent; anything else is the API's configuration error. */
export function checkHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** Maps an endpoint response through the selected integration response into what the client gets. */
export function applyIntegrationResponse(ctx: InvocationContext, selected: IntegrationResponse | undefined, endpoint: EndpointResponse): InvocationResponse {
  if (!selected) {
    throw configurationError(`No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${endpoint.status}`);
  }
  let body = endpoint.body;
  let contentType = 'application/json';
  const template = pickTemplate(selected.responseTemplates, header(ctx.request, 'accept'));
  if (template && template[1] !== '' && template[1] !== null) {
    contentType = template[0];
    body = Buffer.from(renderTemplate(template[1], {
      body: endpoint.body.toString('utf8'),
      params: templateParams(ctx),
      context: templateContext(ctx),
      stageVariables: ctx.stageVariables,
    }));
  } else if (template) {
    contentType = template[0];
  }
  if (selected.contentHandling === 'CONVERT_TO_TEXT') body = Buffer.from(body.toString('base64'));
  else if (selected.contentHandling === 'CONVERT_TO_BINARY') body = Buffer.from(body.toString('utf8'), 'base64');

  const headers: Record<string, string> = { 'Content-Type': contentType };
  let json: { v: unknown } | undefined;
  const bodyJson = () => {
    if (!json) {
      try {
        json = { v: JSON.parse(endpoint.body.toString('utf8')) };
      } catch {
        json = { v: undefined };
      }
    }
    return json.v;
  };
  for (const [target, source] of Object.entries(selected.responseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m) continue;
    const value = responseParameterValue(source, endpoint, bodyJson);
    if (value !== undefined) setHeader(headers, remappedName(m[1]), value);
  }
  let status = Number(selected.statusCode ?? 200);
  const override = ctx.overrides?.responseOverride;
  if (override) {
    for (const [name, value] of Object.entries(override.header)) if (value !== undefined && value !== null) setHeader(headers, remappedName(name), String(value));
    if (override.status !== undefined && override.status !== null && String(override.status) !== '') status = Number(override.status);
  }
  if (!isFinalStatus(status)) throw configurationError(`Invalid status code ${String(status)}`);
  for (const [name, value] of Object.entries(headers)) {
    if (!checkHeader(name, value)) throw configurationError(`Invalid response header ${name}`);
  }
  return { status, headers, body };
}

/** Sets a header, dropping any other casing of its name. */
export function setHeader(headers: Record<string, string | string[]>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower && k !== name) delete headers[k];
  headers[name] = value;
}
