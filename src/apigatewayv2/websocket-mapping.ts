// WebSocket APIs' data mapping, as AWS documents it for non-proxy integrations: template selection
// expressions (`\$default`, static text, `${request.body.path}`, and for integration responses
// `${integration.response.statuscode}` / `.header.X` / `.multivalueheader.X`), integration response
// keys (`$default`, or a `/regex/` matched against the status or a Lambda errorMessage), and request
// parameters (`integration.request.header.X` or `.querystring.X` from `route.request.header.Y`,
// `route.request.querystring.Y`, `route.request.body.path`, `context.x`, `stageVariables.x`, `'literal'`).
import type { IntegrationResponseRecord } from '../store/httpapi-store.js';
import type { IntegrationResponse } from '../aws/generated/apigateway.js';
import { selectIntegrationResponse } from '../execute-api/integration-response.js';
import { evaluateJsonPath } from '../execute-api/jsonpath.js';

/** What a selection expression or a request parameter may read. */
export interface MappingInput {
  /** The message's text ('' for $connect and $disconnect). */
  body: string;
  /** The route request's headers and query string ($connect only). */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string> | null;
  /** The integration's answer (integration response template selection). */
  integrationResponse?: { statusCode: number; headers: Record<string, string> };
}

const DEFAULT = '$default';
const VARIABLE = /\$\{([^}]*)\}|\$([A-Za-z][A-Za-z0-9_.-]*)/g;

const headerOf = (headers: Record<string, string> | undefined, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

function bodyValue(body: string, path: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const v = evaluateJsonPath(json, path.startsWith('$') ? path : `$.${path}`);
  return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function variableValue(name: string, input: MappingInput): string | undefined {
  if (name.startsWith('request.body.')) return bodyValue(input.body, name.slice(13));
  if (name === 'request.body') return input.body;
  const answer = input.integrationResponse;
  if (name === 'integration.response.statuscode') return answer === undefined ? undefined : String(answer.statusCode);
  if (name.startsWith('integration.response.header.')) return headerOf(answer?.headers, name.slice(28));
  if (name.startsWith('integration.response.multivalueheader.')) return headerOf(answer?.headers, name.slice(38));
  return undefined;
}

/**
 * The key a template selection expression yields: `\$` is a literal dollar (`\$default`), variables are
 * substituted (an absent one yields ''), anything else is static text. Undefined without an expression.
 */
export function evaluateTemplateSelection(expression: string | undefined, input: MappingInput): string | undefined {
  if (expression === undefined || expression === '') return undefined;
  const escaped = expression.split('\\$');
  return escaped.map((part) => part.replace(VARIABLE, (_m, braced: string | undefined, bare: string | undefined) => variableValue(braced ?? bare ?? '', input) ?? '')).join('$');
}

/** The template for a selection key: its own, else the `$default` one. */
export function selectTemplate(templates: Record<string, string> | undefined, key: string | undefined): string | undefined {
  if (!templates) return undefined;
  if (key !== undefined && Object.hasOwn(templates, key)) return templates[key];
  return Object.hasOwn(templates, DEFAULT) ? templates[DEFAULT] : undefined;
}

/** The regular expression an integration response key stands for (null for `$default`), or undefined when the key is neither. */
export function integrationResponsePattern(key: string): string | null | undefined {
  if (key === DEFAULT) return null;
  if (key.length < 2 || !key.startsWith('/') || !key.endsWith('/')) return undefined;
  const source = key.slice(1, -1);
  try {
    new RegExp(source);
  } catch {
    return undefined;
  }
  return source;
}

/** The integration response whose key matches the selector (the status code, or a Lambda errorMessage), else the `$default` one. */
export function selectWebSocketIntegrationResponse(responses: readonly IntegrationResponseRecord[], selector: string | undefined): IntegrationResponseRecord | undefined {
  // The REST API's matcher takes patterns by name; the record's id stands in for the name.
  const byId: Record<string, IntegrationResponse> = {};
  for (const r of responses) {
    const pattern = integrationResponsePattern(r.integrationResponseKey);
    if (pattern !== undefined) byId[r.integrationResponseId] = { statusCode: r.integrationResponseId, selectionPattern: pattern ?? undefined };
  }
  const chosen = selectIntegrationResponse(byId, selector);
  return chosen && responses.find((r) => r.integrationResponseId === chosen.statusCode);
}

const TARGET = /^integration\.request\.(header|querystring)\.([^\s.][^\s]*)$/;
const SOURCE = /^(?:route\.request\.(?:header|querystring|body)\.\S+|context\.\S+|stageVariables\.\S+|'[^']*')$/;

/** Why a request parameter mapping is invalid (undefined: it is valid). */
export function requestParameterProblem(target: string, source: string): string | undefined {
  if (!TARGET.test(target)) return `Invalid mapping expression specified: ${target}. WebSocket APIs map integration.request.header.{name} and integration.request.querystring.{name}`;
  if (!SOURCE.test(source.trim())) return `Invalid mapping expression specified: ${source}`;
  return undefined;
}

/** The value a request parameter's source names, or undefined when it is absent. */
export function requestParameterValue(source: string, input: MappingInput): string | undefined {
  const s = source.trim();
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1);
  if (s.startsWith('route.request.header.')) return headerOf(input.headers, s.slice(21));
  if (s.startsWith('route.request.querystring.')) return input.query?.[s.slice(26)];
  if (s.startsWith('route.request.body.')) return bodyValue(input.body, s.slice(19));
  if (s.startsWith('stageVariables.')) return input.stageVariables?.[s.slice(15)];
  if (s.startsWith('context.')) {
    let v: unknown = input.context;
    for (const part of s.slice(8).split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return undefined;
}

/** The integration request's headers and query string parameters the mappings resolve to (absent sources are left out). */
export function mapWebSocketRequestParameters(params: Record<string, string> | undefined, input: MappingInput): { header: Record<string, string>; querystring: Record<string, string> } {
  const out = { header: {} as Record<string, string>, querystring: {} as Record<string, string> };
  for (const [target, source] of Object.entries(params ?? {})) {
    const m = TARGET.exec(target);
    const value = m ? requestParameterValue(source, input) : undefined;
    if (m && value !== undefined) out[m[1] as 'header' | 'querystring'][m[2]] = value;
  }
  return out;
}
