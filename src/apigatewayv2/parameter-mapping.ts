// HTTP APIs' parameter mapping (an integration's requestParameters and responseParameters): the
// keys and values AWS documents, checked when an integration is written and compiled once — into
// the form the data plane applies per request without parsing anything again.
//
// Request keys: append|overwrite|remove:header.{name}, append|overwrite|remove:querystring.{name},
// overwrite:path. Response keys (under a status code 200–599): append|overwrite|remove:header.{name},
// overwrite:statuscode. Values: static text mixed with $request.header.x, $request.querystring.x,
// $request.body[.jsonpath], $request.path[.x], $context.x, $stageVariables.x (request side) or
// $response.header.x, $response.body[.jsonpath], $context.x, $stageVariables.x (response side),
// each also written ${…}.
import { badRequest } from '../apigateway/errors.js';

export type MappingAction = 'append' | 'overwrite' | 'remove';
export type MappingSource =
  | 'request.header' | 'request.querystring' | 'request.body' | 'request.path' | 'request.pathParameter'
  | 'response.header' | 'response.body' | 'context' | 'stageVariables';

/** An expression in a value: where it reads, and the name (header, parameter, JSONPath, dotted context path; '' for a whole body or path). */
export interface MappingExpression {
  source: MappingSource;
  name: string;
}

/** A value: literal text and expressions, in order. */
export type MappingValue = readonly (string | MappingExpression)[];

export interface RequestMapping {
  action: MappingAction;
  location: 'header' | 'querystring' | 'path';
  /** The header (as given; compared case-insensitively) or query string parameter name; '' for the path. */
  name: string;
  value: MappingValue;
}

export interface ResponseMapping {
  action: MappingAction;
  target: 'header' | 'statuscode';
  /** The header name as given (compared case-insensitively); '' for the status code. */
  name: string;
  value: MappingValue;
}

/** Headers API Gateway owns, which HTTP APIs refuse to map (AWS's list of reserved headers). */
const RESERVED_HEADERS = new Set([
  'authorization', 'connection', 'content-encoding', 'content-length', 'content-location', 'forwarded', 'keep-alive', 'origin',
  'proxy-authenticate', 'proxy-authorization', 'te', 'trailers', 'transfer-encoding', 'upgrade', 'x-forwarded-for', 'x-forwarded-host',
  'x-forwarded-proto', 'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export const isReservedHeader = (lowerName: string): boolean =>
  RESERVED_HEADERS.has(lowerName) || RESERVED_PREFIXES.some((p) => lowerName.startsWith(p));

/** An HTTP token: what a header name may be made of. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const REQUEST_KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$/;
const RESPONSE_KEY = /^(append|overwrite|remove):header\.(.+)$/;
/** A bare expression: `$` and a root, then name characters (a braced one may hold anything but `}`). */
const BARE = /\$(request|response|context|stageVariables)((?:\.[A-Za-z0-9_\-[\]*]+)*)/y;
const BRACED = /\$\{(request|response|context|stageVariables)((?:\.[^}]+)?)\}/y;

/** AWS's envelope for mapping errors, with what is wrong inside. */
export const invalidMapping = (detail: string) =>
  badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`);

function expressionOf(root: string, rest: string, side: 'request' | 'response', value: string): MappingExpression {
  const bad = () => invalidMapping(`Invalid mapping expression specified: ${value}`);
  const path = rest.startsWith('.') ? rest.slice(1) : rest;
  if (root === 'context') {
    if (!/^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/.test(path)) throw bad();
    return { source: 'context', name: path };
  }
  if (root === 'stageVariables') {
    if (!/^[A-Za-z0-9_.-]+$/.test(path)) throw bad();
    return { source: 'stageVariables', name: path };
  }
  if (root !== side) throw invalidMapping(`${side === 'request' ? 'Request' : 'Response'} parameters cannot read $${root}: ${value}`);
  const dot = path.indexOf('.');
  const kind = dot < 0 ? path : path.slice(0, dot);
  const name = dot < 0 ? '' : path.slice(dot + 1);
  if (kind === 'body') {
    // JSONPath without recursive descent or filters, as AWS documents.
    if (name.includes('..') || name.includes('?(') || name.startsWith('.')) throw bad();
    return { source: root === 'request' ? 'request.body' : 'response.body', name };
  }
  if (kind === 'header' && name && HEADER_NAME.test(name)) return { source: root === 'request' ? 'request.header' : 'response.header', name: name.toLowerCase() };
  if (root === 'request' && kind === 'querystring' && name) return { source: 'request.querystring', name };
  if (root === 'request' && kind === 'path') return name ? { source: 'request.pathParameter', name } : { source: 'request.path', name: '' };
  throw bad();
}

/** A value split into literal text and expressions; `$` that starts no known expression is refused. */
export function parseMappingValue(value: string, side: 'request' | 'response'): MappingValue {
  const parts: (string | MappingExpression)[] = [];
  let literal = '';
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '$') {
      literal += value[i++];
      continue;
    }
    const pattern = value[i + 1] === '{' ? BRACED : BARE;
    pattern.lastIndex = i;
    const m = pattern.exec(value);
    // `..` right after an expression is recursive descent, which AWS does not support.
    if (!m || value.startsWith('..', i + m[0].length)) throw invalidMapping(`Invalid mapping expression specified: ${value}`);
    if (literal) parts.push(literal);
    literal = '';
    parts.push(expressionOf(m[1], m[2], side, value));
    i += m[0].length;
  }
  if (literal) parts.push(literal);
  return parts;
}

function headerName(name: string, key: string): string {
  if (!HEADER_NAME.test(name)) throw invalidMapping(`Invalid header name in ${key}`);
  if (isReservedHeader(name.toLowerCase())) throw invalidMapping(`Header ${name} is reserved and cannot be mapped (${key})`);
  return name;
}

/** Every mapping has a string value; only a removal's may be empty. */
function checkValue(key: string, raw: unknown): void {
  if (typeof raw !== 'string') throw invalidMapping(`Invalid value for ${key}: a string is required`);
  if (raw === '' && !key.startsWith('remove:')) throw invalidMapping(`Invalid mapping expression specified: the value of ${key} is empty`);
}

/** An integration's requestParameters, checked and compiled (in the order given). */
export function compileRequestParameters(parameters: Record<string, string>): RequestMapping[] {
  return Object.entries(parameters).map(([key, raw]) => {
    checkValue(key, raw);
    if (key === 'overwrite:path') return { action: 'overwrite', location: 'path', name: '', value: parseMappingValue(raw, 'request') };
    const m = REQUEST_KEY.exec(key);
    if (!m) throw invalidMapping(`Invalid request parameter key ${key}: use append|overwrite|remove:header.{name}, append|overwrite|remove:querystring.{name} or overwrite:path`);
    const action = m[1] as MappingAction;
    const location = m[2] as 'header' | 'querystring';
    const name = location === 'header' ? headerName(m[3], key) : m[3];
    // A removal reads nothing: its value is not looked at (AWS's examples give '').
    return { action, location, name, value: action === 'remove' ? [] : parseMappingValue(raw, 'request') };
  });
}

/** An integration's responseParameters, checked and compiled: the mappings by the status code that selects them. */
export function compileResponseParameters(parameters: Record<string, Record<string, string>>): Map<string, ResponseMapping[]> {
  const compiled = new Map<string, ResponseMapping[]>();
  for (const [status, mappings] of Object.entries(parameters)) {
    if (!/^[2-5]\d\d$/.test(status)) throw invalidMapping(`Invalid status code ${status}: response parameters are selected by a status code from 200 to 599`);
    if (mappings === null || typeof mappings !== 'object') throw invalidMapping(`Invalid response parameters for status code ${status}`);
    compiled.set(status, Object.entries(mappings).map(([key, raw]): ResponseMapping => {
      checkValue(key, raw);
      if (key === 'overwrite:statuscode') {
        const value = parseMappingValue(raw, 'response');
        if (value.every((p) => typeof p === 'string') && !/^[2-5]\d\d$/.test(raw)) {
          throw invalidMapping(`Invalid status code ${raw} for overwrite:statuscode: use a status code from 200 to 599`);
        }
        return { action: 'overwrite', target: 'statuscode', name: '', value };
      }
      const m = RESPONSE_KEY.exec(key);
      if (!m) throw invalidMapping(`Invalid response parameter key ${key}: use append|overwrite|remove:header.{name} or overwrite:statuscode`);
      const action = m[1] as MappingAction;
      return { action, target: 'header', name: headerName(m[2], key), value: action === 'remove' ? [] : parseMappingValue(raw, 'response') };
    }));
  }
  return compiled;
}

/**
 * UpdateIntegration's merge of parameter maps: the given keys replace the stored ones, and a key
 * whose value is empty is taken away (so a removal mapping is written with a value such as '').
 */
export function mergeParameterMap(base: Record<string, string> | undefined, update: Record<string, string>): Record<string, string> | undefined {
  const merged = { ...base };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length ? merged : undefined;
}

/** The same for response parameters, per status code; a status code given `{}` loses all its mappings. */
export function mergeResponseParameters(base: Record<string, Record<string, string>> | undefined,
  update: Record<string, Record<string, string>>): Record<string, Record<string, string>> | undefined {
  const merged: Record<string, Record<string, string>> = { ...base };
  for (const [status, mappings] of Object.entries(update)) {
    const next = mappings && Object.keys(mappings).length ? mergeParameterMap(merged[status], mappings) : undefined;
    if (next) merged[status] = next;
    else delete merged[status];
  }
  return Object.keys(merged).length ? merged : undefined;
}
