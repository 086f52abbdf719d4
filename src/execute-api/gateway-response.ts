// Customised gateway responses on the data plane: when the deployment being served froze
// customisations (PutGatewayResponse), a gateway error takes its type's own customisation or,
// failing that, DEFAULT_4XX's or DEFAULT_5XX's by its status class — the status code, headers
// from `gatewayresponse.header.X` mappings ('literals', method.request.*, stageVariables.*,
// context.*) and the body from the response template chosen by the request's Accept header,
// with $context.error.* and the request's values substituted. Deployments without customisations
// never reach this module.
import type { GatewayResponseRecord } from '../store/apigateway-store.js';
import { DEFAULT_TEMPLATE, parentType, type ResponseType } from '../apigateway/gateway-responses.js';
import type { InvocationContext, InvocationResponse } from './context.js';
import { header } from './context.js';
import type { GatewayError } from './errors.js';
import { methodRequestValue } from './integration-request.js';
import { requestContext } from './proxy-event.js';
import { checkHeader, pickTemplate, setHeader } from './integration-response.js';

/**
 * Our catalogue's types that are not AWS gateway response types: unknown API or stage (nothing is
 * deployed), and an event over Lambda's payload limit (AWS answers it uncustomised).
 */
const NOT_CUSTOMISABLE = new Set(['FORBIDDEN', 'LAMBDA_REQUEST_TOO_LONG']);

/** The customisation that applies to an error of this type, if any: its own, else its DEFAULT_4XX/5XX parent's. */
function applicable(type: ResponseType, customised: Readonly<Record<string, GatewayResponseRecord>>): GatewayResponseRecord | undefined {
  const own = customised[type];
  if (own) return own;
  const parent = parentType(type);
  return parent && customised[parent];
}

/** The error answered with the deployed customisation; `base` (AWS's default answer) when none applies. */
export function customisedErrorResponse(ctx: InvocationContext, error: GatewayError, base: InvocationResponse,
  customised: Readonly<Record<string, GatewayResponseRecord>>): InvocationResponse {
  if (NOT_CUSTOMISABLE.has(error.type)) return base;
  const type = error.type as ResponseType;
  const record = applicable(type, customised);
  if (!record) return base;
  const response: InvocationResponse = { status: base.status, headers: { ...base.headers }, body: base.body };
  if (record.statusCode !== undefined && /^[1-5]\d\d$/.test(record.statusCode)) response.status = Number(record.statusCode);

  const template = pickTemplate(record.responseTemplates, header(ctx.request, 'accept'));
  if (template) {
    response.headers['Content-Type'] = template[0];
    // The default template gives AWS's default body exactly as our catalogue words it.
    if (template[1] !== DEFAULT_TEMPLATE) response.body = Buffer.from(render(ctx, error, type)(template[1]));
  }
  for (const [target, source] of Object.entries(record.responseParameters)) {
    if (!target.startsWith('gatewayresponse.header.')) continue;
    const name = target.slice(23);
    const value = methodRequestValue(ctx, source);
    if (value !== undefined && checkHeader(name, value)) setHeader(response.headers, name, value);
  }
  return response;
}

// AWS renders gateway response templates with simple variable substitution, not VTL (developer
// guide, x-amazon-apigateway-gateway-responses.responseTemplates): $context.*, $stageVariables.*
// and $method.request.{path,querystring,header,…}.name (also as ${…}); a name with no value
// becomes empty, and anything else (directives included) stays as written.
const VARIABLE = /\$\{(context|stageVariables|method\.request)((?:\.[A-Za-z0-9_-]+)+)\}|\$(context|stageVariables|method\.request)((?:\.[A-Za-z0-9_-]+)+)/g;

function render(ctx: InvocationContext, error: GatewayError, type: ResponseType): (template: string) => string {
  const message = error.bodyMessage;
  let context: Record<string, unknown> | undefined;
  const contextValue = (path: string[]): unknown => {
    context ??= { ...requestContext(ctx), error: { message: message ?? '', messageString: JSON.stringify(message), responseType: type, validationErrorString: error.validationErrorString } };
    let v: unknown = context;
    for (const part of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v;
  };
  return (template) => template.replace(VARIABLE, (_whole, bracedRoot: string | undefined, bracedRest: string | undefined, bareRoot: string, bareRest: string) => {
    const root = bracedRoot ?? bareRoot;
    const rest = bracedRest ?? bareRest;
    const path = rest.slice(1).split('.');
    let value: unknown;
    if (root === 'context') value = contextValue(path);
    else if (root === 'stageVariables') value = ctx.stageVariables?.[rest.slice(1)];
    else value = methodRequestValue(ctx, `method.request${rest}`);
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
