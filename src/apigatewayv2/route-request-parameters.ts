// WebSocket routes' requestParameters: `route.request.header.{name}` and
// `route.request.querystring.{name}` → { Required }. The handshake carries headers and query
// strings, so only $connect takes them; a handshake without a required one is refused with 400
// before $connect's authorizer or integration runs.
import type { ParameterConstraints } from '../aws/generated/apigatewayv2.js';
import { badRequest } from '../apigateway/errors.js';
import type { RouteRecord } from '../store/httpapi-store.js';
import { header, type InvocationRequest } from '../execute-api/context.js';

const PARAMETER_KEY = /^route\.request\.(header|querystring)\.([^\s.][^\s]*)$/;

/** The route's requestParameters as stored (undefined: none), or a BadRequestException. */
export function routeRequestParametersFrom(routeKey: string, given: Record<string, ParameterConstraints>): RouteRecord['requestParameters'] {
  const entries = Object.entries(given);
  if (!entries.length) return undefined;
  if (routeKey !== '$connect') throw badRequest('Request parameters are supported only for the $connect route');
  const out: NonNullable<RouteRecord['requestParameters']> = {};
  for (const [key, constraints] of entries) {
    if (!PARAMETER_KEY.test(key)) throw badRequest(`Invalid request parameter key ${key}: use route.request.header.{name} or route.request.querystring.{name}`);
    out[key] = { required: constraints?.Required === true };
  }
  return out;
}

/** The names of the route's required parameters the handshake lacks (in the route's order). */
export function missingRequestParameters(route: RouteRecord, request: InvocationRequest): string[] {
  const parameters = route.requestParameters;
  if (!parameters) return [];
  const missing: string[] = [];
  for (const [key, { required }] of Object.entries(parameters)) {
    if (!required) continue;
    const [, where, name] = PARAMETER_KEY.exec(key)!;
    const present = where === 'header' ? header(request, name) !== undefined : request.query?.[name] !== undefined;
    if (!present) missing.push(name);
  }
  return missing;
}
