// The parameter-mapping step of an HTTP API request: what mapping expressions read from the call,
// and the call and context rewritten by the integration's request mappings.
import type { InvocationContext } from '../context.js';
import { requestContext } from '../proxy-event.js';
import { parseHeaders, parseQuery } from '../request.js';
import type { RequestMapping } from '../../apigatewayv2/parameter-mapping.js';
import type { HttpApiCall } from './invocation.js';
import { mapRequest, type MappingSources } from './parameter-mapping.js';

/** The request's data as mapping expressions read it ($context built once, on first use). */
export function mappingSources(call: HttpApiCall, ctx: InvocationContext): MappingSources {
  const r = ctx.request;
  let context: Record<string, unknown> | undefined;
  return {
    header: (lower) => {
      const name = r.headerNames.get(lower);
      return name === undefined ? undefined : r.multiHeaders[name]?.join(',');
    },
    querystring: (name) => r.multiQuery?.[name]?.join(','),
    body: () => call.body.toString('utf8'),
    path: () => call.routePath,
    pathParameter: (name) => call.match.pathParameters[name],
    stageVariable: (name) => call.stage.stageVariables[name],
    context: () => {
      if (!context) {
        context = requestContext(ctx);
        context.routeKey = call.match.route.routeKey;
        context.stage = call.stage.stageName;
        context.apiId = call.api.apiId;
        if (ctx.httpAuthorizer) context.authorizer = ctx.httpAuthorizer;
      }
      return context;
    },
  };
}

/**
 * Rewrites what the integration receives: the headers and query string (the HTTP_PROXY request
 * and the Lambda event read them from the call and the context) and the path — the HTTP endpoint's
 * path in place of the integration URI's, or the path a Lambda function's event shows.
 */
export function applyRequestMappings(mappings: readonly RequestMapping[], call: HttpApiCall, ctx: InvocationContext): void {
  const mapped = mapRequest(mappings, call.req.rawHeaders, call.rawQuery, mappingSources(call, ctx));
  call.rawHeaders = mapped.rawHeaders;
  call.rawQuery = mapped.rawQuery;
  ctx.request = { ...ctx.request, rawQuery: mapped.rawQuery, ...parseQuery(mapped.rawQuery), ...parseHeaders(mapped.rawHeaders) };
  if (mapped.path === undefined) return;
  const path = mapped.path.startsWith('/') ? mapped.path : `/${mapped.path}`;
  if (call.integration.integrationType === 'HTTP_PROXY') ctx.integrationPath = path;
  else call.path = path;
}
