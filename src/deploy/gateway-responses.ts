// An API's GatewayResponses as SAM translates them: each response type's status code, headers
// (`gatewayresponse.header.X`), path and query string parameters and templates put with
// PutGatewayResponse when they differ from the API's; customised types the template no longer has
// go back to API Gateway's defaults (DeleteGatewayResponse). They take effect with the next
// deployment, so they are part of what decides whether the stages are deployed again.
import { DeleteGatewayResponseCommand, GetGatewayResponsesCommand, PutGatewayResponseCommand, type GatewayResponse } from '@aws-sdk/client-api-gateway';
import { isDeepStrictEqual } from 'node:util';
import { newGatewayResponse, RESPONSE_TYPES } from '../apigateway/gateway-responses.js';
import type { ApiContext, DeployedApi } from './apis.js';

export interface GatewayResponseSpec {
  type: GatewayResponse['responseType'] & string;
  statusCode?: string;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

const PARAMETER_KINDS: Record<string, string> = { Headers: 'header', Paths: 'path', QueryStrings: 'querystring' };

/** GatewayResponses as SAM reads them; `fail` throws a located error. */
export function gatewayResponsesSpec(value: unknown, fail: (message: string) => never): GatewayResponseSpec[] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(value)) fail('GatewayResponses is a map of response types (DEFAULT_4XX, UNAUTHORIZED, …) to responses');
  const out: GatewayResponseSpec[] = [];
  for (const [type, response] of Object.entries(value as Record<string, unknown>)) {
    if (!(RESPONSE_TYPES as readonly string[]).includes(type)) fail(`GatewayResponses.${type} is not a gateway response type: ${RESPONSE_TYPES.join(', ')}`);
    if (!isMap(response)) fail(`GatewayResponses.${type} is a map of StatusCode, ResponseParameters and ResponseTemplates`);
    const spec: GatewayResponseSpec = { type: type as GatewayResponseSpec['type'], responseParameters: {}, responseTemplates: {} };
    for (const [key, v] of Object.entries(response as Record<string, unknown>)) {
      if (key === 'StatusCode') {
        if (!/^[1-5]\d\d$/.test(String(v))) fail(`GatewayResponses.${type}.StatusCode is an HTTP status code, got ${JSON.stringify(v)}`);
        spec.statusCode = String(v);
      } else if (key === 'ResponseParameters') {
        if (!isMap(v)) fail(`GatewayResponses.${type}.ResponseParameters is a map of Headers, Paths and QueryStrings`);
        for (const [kind, names] of Object.entries(v as Record<string, unknown>)) {
          const where = PARAMETER_KINDS[kind];
          if (!where || !isMap(names)) fail(`GatewayResponses.${type}.ResponseParameters.${kind}: use Headers, Paths or QueryStrings, each a map of names to values`);
          for (const [name, mapped] of Object.entries(names as Record<string, unknown>)) spec.responseParameters[`gatewayresponse.${where}.${name}`] = String(mapped);
        }
      } else if (key === 'ResponseTemplates') {
        if (!isMap(v)) fail(`GatewayResponses.${type}.ResponseTemplates is a map of content types to templates`);
        for (const [contentType, template] of Object.entries(v as Record<string, unknown>)) spec.responseTemplates[contentType] = String(template);
      } else {
        fail(`GatewayResponses.${type}.${key} is not a property of a gateway response: use StatusCode, ResponseParameters or ResponseTemplates`);
      }
    }
    out.push(spec);
  }
  return out;
}

/** Makes the API's customised gateway responses those of the template. */
export async function syncGatewayResponses(ctx: ApiContext, id: string, api: DeployedApi, wanted: readonly GatewayResponseSpec[]): Promise<void> {
  const { apigateway, progress } = ctx;
  const have = (await ctx.step(id, `reading the gateway responses of ${api.name}`, () => apigateway.send(new GetGatewayResponsesCommand({ restApiId: api.id, limit: 500 })))).items ?? [];
  for (const spec of wanted) {
    const current = have.find((r) => r.responseType === spec.type);
    // Compared with what API Gateway keeps for it: members not given take the type's defaults.
    const kept = newGatewayResponse(spec.type, spec);
    const same = current && !current.defaultResponse && current.statusCode === kept.statusCode
      && isDeepStrictEqual(current.responseParameters ?? {}, kept.responseParameters) && isDeepStrictEqual(current.responseTemplates ?? {}, kept.responseTemplates);
    if (same) {
      progress.report({ subject: id, kind: 'unchanged', message: `gateway response ${spec.type}` });
      continue;
    }
    await ctx.step(id, `putting gateway response ${spec.type}`, () => apigateway.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: spec.type, statusCode: spec.statusCode, responseParameters: spec.responseParameters, responseTemplates: spec.responseTemplates,
    })));
    progress.report({ subject: id, kind: current && !current.defaultResponse ? 'updated' : 'created', message: `gateway response ${spec.type}` });
  }
  for (const r of have.filter((x) => !x.defaultResponse && !wanted.some((w) => w.type === x.responseType))) {
    await ctx.step(id, `resetting gateway response ${r.responseType}`, () => apigateway.send(new DeleteGatewayResponseCommand({ restApiId: api.id, responseType: r.responseType })));
    progress.report({ subject: id, kind: 'removed', message: `gateway response ${r.responseType} (back to API Gateway's default)` });
  }
}
