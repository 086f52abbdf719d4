// HTTP APIs' parameter mapping on the data plane: an integration's request mappings rewrite the
// headers, query string and path the integration receives (the HTTP_PROXY request, or the event a
// Lambda function gets), after the route's authorizer admitted the request; its response mappings,
// chosen by the integration's status code, rewrite the answer's headers and status.
//
// Mappings are compiled once per integration record (deployments' records never change), so an
// integration without mappings costs one property check per request.
import type { IntegrationRecord } from '../../store/httpapi-store.js';
import {
  compileRequestParameters, compileResponseParameters, type MappingExpression, type MappingValue, type RequestMapping, type ResponseMapping,
} from '../../apigatewayv2/parameter-mapping.js';
import { evaluateJsonPath } from '../jsonpath.js';
import { isFinalStatus } from '../http-status.js';
import type { UrlAnswer } from '../../function-urls/response.js';

export interface CompiledMappings {
  request: readonly RequestMapping[];
  response: ReadonlyMap<string, readonly ResponseMapping[]>;
}

const compiled = new WeakMap<IntegrationRecord, CompiledMappings>();
const NONE: CompiledMappings = { request: [], response: new Map() };

/** The integration's mappings, compiled on first use; undefined when it has none. */
export function mappingsOf(integration: IntegrationRecord): CompiledMappings | undefined {
  if (integration.requestParameters === undefined && integration.responseParameters === undefined) return undefined;
  let c = compiled.get(integration);
  if (!c) {
    try {
      c = {
        request: integration.requestParameters ? compileRequestParameters(integration.requestParameters) : [],
        response: integration.responseParameters ? compileResponseParameters(integration.responseParameters) : new Map(),
      };
    } catch {
      c = NONE; // stored before mappings were checked: nothing Stagecraft can apply
    }
    compiled.set(integration, c);
  }
  return c;
}

/** What expressions read; each is asked only when a mapping uses it. */
export interface MappingSources {
  header(lowerName: string): string | undefined;
  querystring(name: string): string | undefined;
  body(): string;
  path(): string;
  pathParameter(name: string): string | undefined;
  context(): Record<string, unknown>;
  stageVariable(name: string): string | undefined;
}

const asText = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

function bodyPath(body: string, path: string): string | undefined {
  if (!path) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return asText(evaluateJsonPath(parsed, path.startsWith('[') ? `$${path}` : `$.${path}`));
}

function read(e: MappingExpression, sources: MappingSources): string | undefined {
  switch (e.source) {
    case 'request.header': case 'response.header': return sources.header(e.name);
    case 'request.querystring': return sources.querystring(e.name);
    case 'request.body': case 'response.body': return bodyPath(sources.body(), e.name);
    case 'request.path': return sources.path();
    case 'request.pathParameter': return sources.pathParameter(e.name);
    case 'stageVariables': return sources.stageVariable(e.name);
    case 'context': {
      let v: unknown = sources.context();
      for (const step of e.name.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[step] : undefined;
      return asText(v);
    }
  }
}

/**
 * A value's text. A value that is one expression reading nothing is undefined (the mapping is
 * skipped rather than sending an empty parameter); in mixed text, what reads nothing is empty.
 */
export function evaluateMapping(value: MappingValue, sources: MappingSources): string | undefined {
  if (value.length === 1 && typeof value[0] !== 'string') return read(value[0], sources);
  let out = '';
  for (const part of value) out += typeof part === 'string' ? part : read(part, sources) ?? '';
  return out;
}

/** The request the integration receives: header lines, raw query string pairs and, when overwritten, the path. */
export interface MappedRequest {
  /** Node's rawHeaders form: name, value, name, value, … */
  rawHeaders: string[];
  rawQuery: string;
  path?: string;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** A list of name/value pairs with one mapping applied: an overwrite takes the place of the first pair it replaces. */
function applied(pairs: [string, string][], action: RequestMapping['action'], matches: (p: [string, string]) => boolean,
  entry: [string, string] | undefined): [string, string][] {
  if (action === 'append') return entry ? [...pairs, entry] : pairs;
  const at = pairs.findIndex(matches);
  const kept = pairs.filter((p) => !matches(p));
  if (action === 'overwrite' && entry) kept.splice(at < 0 ? kept.length : at, 0, entry);
  return kept;
}

/** Applies request mappings; every value is read from the request as it came, before any mapping changed it. */
export function mapRequest(mappings: readonly RequestMapping[], rawHeaders: readonly string[], rawQuery: string, sources: MappingSources): MappedRequest {
  const values = mappings.map((m) => (m.action === 'remove' ? undefined : evaluateMapping(m.value, sources)));
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.push([rawHeaders[i], rawHeaders[i + 1]]);
  let query: [string, string][] = rawQuery ? rawQuery.split('&').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  }) : [];
  let path: string | undefined;
  let lines = headers;
  mappings.forEach((m, i) => {
    const value = values[i];
    if (m.location === 'path') {
      if (value !== undefined) path = value;
      return;
    }
    if (m.action !== 'remove' && value === undefined) return;
    if (m.location === 'header') {
      const lower = m.name.toLowerCase();
      lines = applied(lines, m.action, ([n]) => n.toLowerCase() === lower, value === undefined ? undefined : [m.name, value]);
    } else {
      query = applied(query, m.action, ([n]) => decode(n) === m.name, value === undefined ? undefined : [encodeURIComponent(m.name), encodeURIComponent(value)]);
    }
  });
  return { rawHeaders: lines.flat(), rawQuery: query.map(([n, v]) => `${n}=${v}`).join('&'), ...(path !== undefined ? { path } : {}) };
}

/** The answer with the response mappings its status code selects (none selected: the answer as it was). */
export function mapResponse(mappings: ReadonlyMap<string, readonly ResponseMapping[]>, answer: UrlAnswer,
  sources: Pick<MappingSources, 'context' | 'stageVariable'>): UrlAnswer {
  const selected = mappings.get(String(answer.status));
  if (!selected) return answer;
  const headerOf = (lower: string): string | undefined => {
    if (lower === 'set-cookie') return answer.cookies.length ? answer.cookies.join(',') : undefined;
    for (const name in answer.headers) if (name.toLowerCase() === lower) return answer.headers[name];
    return undefined;
  };
  const responseSources: MappingSources = {
    header: headerOf, body: () => answer.body.toString('utf8'), context: sources.context, stageVariable: sources.stageVariable,
    querystring: () => undefined, path: () => '', pathParameter: () => undefined,
  };
  const values = selected.map((m) => (m.action === 'remove' ? undefined : evaluateMapping(m.value, responseSources)));
  const headers = { ...answer.headers };
  let cookies = answer.cookies;
  let status = answer.status;
  selected.forEach((m, i) => {
    const value = values[i];
    if (m.target === 'statuscode') {
      const code = Number(value);
      if (isFinalStatus(code)) status = code;
      return;
    }
    if (m.action !== 'remove' && value === undefined) return;
    const lower = m.name.toLowerCase();
    if (lower === 'set-cookie') {
      cookies = m.action === 'remove' ? [] : m.action === 'overwrite' ? [value!] : [...cookies, value!];
      return;
    }
    const existing = Object.keys(headers).find((n) => n.toLowerCase() === lower);
    if (m.action === 'remove') {
      if (existing !== undefined) delete headers[existing];
    } else if (m.action === 'append' && existing !== undefined) {
      headers[existing] = `${headers[existing]},${value}`;
    } else {
      if (existing !== undefined) delete headers[existing];
      headers[m.name] = value!;
    }
  });
  return { ...answer, status, headers, cookies };
}
