// An AWS::Serverless::Api's Cors, translated as SAM translates it: every path of the API that has
// no OPTIONS route of its own gets a preflight method, a MOCK integration answering 200 with the
// Access-Control-* headers. The values are API Gateway mapping values, so literal strings are
// quoted ("'*'"). The functions' own responses still need Access-Control-Allow-Origin from the
// functions themselves: a Lambda proxy integration passes the function's headers through, on AWS too.
import type { Value } from './intrinsics.js';

export interface CorsSpec {
  allowOrigin: string;
  allowHeaders?: string;
  /** Without it, each path's methods (all of them for ANY), and OPTIONS. */
  allowMethods?: string;
  maxAge?: string;
  allowCredentials: boolean;
}

/** A preflight method for one path: OPTIONS, answered by API Gateway itself. */
/** The authorizer a method runs: CUSTOM (a Lambda authorizer) or COGNITO_USER_POOLS, with the scopes it requires. */
export interface MethodAuthorizer {
  name: string;
  id: string;
  type: 'CUSTOM' | 'COGNITO_USER_POOLS';
  scopes?: string[];
}

export interface PreflightRoute {
  resourcePath: string;
  /** method.response.header.* → mapping value, for the 200 integration response. */
  responseParameters: Record<string, string>;
  authorizer?: MethodAuthorizer;
  apiKeyRequired?: boolean;
}

/** The MOCK integration's request template SAM writes: it selects the 200 response. */
export const PREFLIGHT_REQUEST_TEMPLATES = { 'application/json': '{\n  "statusCode" : 200\n}\n' };
export const PREFLIGHT_RESPONSE_TEMPLATES = { 'application/json': '{}\n' };

/** API Gateway's methods in the order SAM lists them for ANY (before sorting). */
const ALL_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

const quoted = (v: string) => v.length >= 2 && v.startsWith("'") && v.endsWith("'");

/** Cors as written (a string is the AllowOrigin), checked; `fail(key, message)` throws at the key's location. */
export function corsSpec(value: Value, fail: (key: string, message: string) => never): CorsSpec {
  const fields: Record<string, Value> = typeof value === 'string' ? { AllowOrigin: value } : (value as Record<string, Value>);
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) fail('Cors', "Cors is the allowed origin (\"'*'\") or a map with AllowOrigin, AllowHeaders, AllowMethods, MaxAge and AllowCredentials");
  const known = ['AllowOrigin', 'AllowHeaders', 'AllowMethods', 'MaxAge', 'AllowCredentials'];
  for (const key of Object.keys(fields)) if (!known.includes(key)) fail('Cors', `Cors has no property ${key} (it takes ${known.join(', ')})`);
  const text = (key: string): string | undefined => {
    const v = fields[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object') fail('Cors', `Cors.${key} must be a string`);
    const s = String(v);
    if (!quoted(s)) fail('Cors', `Cors.${key} must be a quoted string such as "'${s}'": API Gateway reads an unquoted value as a request field, not as the header's text`);
    return s;
  };
  const allowOrigin = text('AllowOrigin');
  if (allowOrigin === undefined) fail('Cors', "Cors needs AllowOrigin (for example \"'*'\")");
  const spec: CorsSpec = { allowOrigin: allowOrigin!, allowCredentials: fields.AllowCredentials === true || fields.AllowCredentials === 'true' };
  const allowHeaders = text('AllowHeaders');
  const allowMethods = text('AllowMethods');
  if (allowHeaders) spec.allowHeaders = allowHeaders;
  if (allowMethods) spec.allowMethods = allowMethods;
  if (fields.MaxAge !== undefined && fields.MaxAge !== null) {
    // SAM's examples write "'600'"; a bare number means the same.
    const raw = String(fields.MaxAge);
    const age = Number(quoted(raw) ? raw.slice(1, -1) : raw);
    if (typeof fields.MaxAge === 'object' || !Number.isInteger(age) || age < 0) fail('Cors', 'Cors.MaxAge is a whole number of seconds');
    spec.maxAge = `'${age}'`;
  }
  return spec;
}

/** Access-Control-Allow-Methods for a path: its methods (every method for ANY) and OPTIONS, sorted. */
export function allowedMethods(methods: readonly string[]): string {
  const all = methods.includes('ANY') ? ALL_METHODS : [...methods, 'OPTIONS'];
  return [...new Set(all.map((m) => m.toUpperCase()))].sort().join(',');
}

/** The header mappings of a path's preflight answer. */
export function preflightHeaders(cors: CorsSpec, methods: readonly string[]): Record<string, string> {
  const header = (name: string) => `method.response.header.${name}`;
  const out: Record<string, string> = { [header('Access-Control-Allow-Origin')]: cors.allowOrigin };
  if (cors.allowHeaders) out[header('Access-Control-Allow-Headers')] = cors.allowHeaders;
  out[header('Access-Control-Allow-Methods')] = cors.allowMethods ?? `'${allowedMethods(methods)}'`;
  if (cors.maxAge !== undefined) out[header('Access-Control-Max-Age')] = cors.maxAge;
  if (cors.allowCredentials) out[header('Access-Control-Allow-Credentials')] = "'true'";
  return out;
}

/**
 * One preflight per path of `routes` that has no OPTIONS route; `authorizer` is what OPTIONS runs
 * and `apiKeyRequired` whether it needs a key (SAM: the API's defaults, unless turned off for preflights).
 */
export function preflightRoutes(cors: CorsSpec, routes: readonly { method: string; resourcePath: string }[], authorizer?: MethodAuthorizer, apiKeyRequired = false): PreflightRoute[] {
  const byPath = new Map<string, string[]>();
  for (const r of routes) byPath.set(r.resourcePath, [...(byPath.get(r.resourcePath) ?? []), r.method]);
  const out: PreflightRoute[] = [];
  for (const [resourcePath, methods] of byPath) {
    if (methods.includes('OPTIONS')) continue; // the template answers OPTIONS itself
    const preflight: PreflightRoute = { resourcePath, responseParameters: preflightHeaders(cors, methods), authorizer };
    if (apiKeyRequired) preflight.apiKeyRequired = true;
    out.push(preflight);
  }
  return out;
}
