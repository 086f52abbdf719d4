// The OpenAPI document an AWS::Serverless::HttpApi with a DefinitionBody or DefinitionUri is imported
// from, as SAM writes it: the template's Name (info.title), Description (info.description),
// DisableExecuteApiEndpoint and CorsConfiguration merged into a DefinitionBody, and each HttpApi
// event of the API's functions added as its path and method with a Lambda proxy integration.
import type { Cors } from '../aws/generated/apigatewayv2.js';
import type { FunctionSpec } from './function-spec.js';
import type { HttpApiEventSpec, HttpApiSpec } from './http-api-spec.js';
import { functionArn, lambdaIntegrationUri } from './urls.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** How the template's HttpApi properties reach the document (SAM changes only an inline DefinitionBody). */
export const MERGED_INTO_DOCUMENT: Record<string, { where: string; conflict: (doc: JsonObject) => boolean }> = {
  Name: { where: 'info.title', conflict: (doc) => info(doc).title !== undefined },
  Description: { where: 'info.description', conflict: (doc) => info(doc).description !== undefined },
  DisableExecuteApiEndpoint: { where: 'x-amazon-apigateway-endpoint-configuration', conflict: () => false },
  CorsConfiguration: { where: 'x-amazon-apigateway-cors', conflict: (doc) => doc[CORS] !== undefined },
};

const CORS = 'x-amazon-apigateway-cors';
const ENDPOINT = 'x-amazon-apigateway-endpoint-configuration';
const INTEGRATION = 'x-amazon-apigateway-integration';
const ANY_METHOD = 'x-amazon-apigateway-any-method';
/** The path of the $default route in a document (as API Gateway exports it). */
const DEFAULT_PATH = '/$default';

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const info = (doc: JsonObject): JsonObject => (isObject(doc.info) ? doc.info : {});

/** What a template property the document also sets says when both are given; undefined when they can be merged. */
export function mergeConflict(definition: string, fromUri: boolean, key: string): string | undefined {
  const merge = MERGED_INTO_DOCUMENT[key];
  if (fromUri) return `${key} can't be merged into a DefinitionUri document (SAM changes only an inline DefinitionBody): set ${merge.where} in the document`;
  if (merge.conflict(JSON.parse(definition) as JsonObject)) return `${key} and the DefinitionBody's ${merge.where} both set the API's ${merge.where}: keep one`;
  return undefined;
}

/** The document's info.title, the API's name when the template gives no Name. */
export function documentTitle(definition: string): string | undefined {
  const title = info(JSON.parse(definition) as JsonObject).title;
  return typeof title === 'string' && title !== '' ? title : undefined;
}

export interface DocumentSettings {
  name?: string;
  description?: string;
  disableExecuteApiEndpoint?: boolean;
  cors?: Cors;
}

/** An HttpApi event to add to the document, with the function (or alias) its integration calls. */
export interface DocumentRoute {
  event: HttpApiEventSpec;
  functionName: string;
  qualifier?: string;
}

/** The document to import: the template's document with its settings and its functions' HttpApi events merged in (JSON text). */
export function httpApiDocument(definition: string, settings: DocumentSettings, routes: DocumentRoute[], region: string, accountId: string): string {
  const doc = JSON.parse(definition) as JsonObject;
  if (settings.name !== undefined || settings.description !== undefined) {
    const merged: JsonObject = { ...info(doc) };
    if (settings.name !== undefined) merged.title = settings.name;
    if (settings.description !== undefined) merged.description = settings.description;
    doc.info = merged;
  }
  if (settings.disableExecuteApiEndpoint) doc[ENDPOINT] = { ...(isObject(doc[ENDPOINT]) ? doc[ENDPOINT] : {}), disableExecuteApiEndpoint: true };
  if (settings.cors) doc[CORS] = corsExtension(settings.cors);
  if (routes.length) {
    const paths: JsonObject = isObject(doc.paths) ? { ...doc.paths } : {};
    for (const { event, functionName, qualifier } of routes) {
      const [method, path] = event.routeKey === '$default' ? [ANY_METHOD, DEFAULT_PATH] : event.routeKey.split(' ');
      const field = method === 'ANY' ? ANY_METHOD : method.toLowerCase();
      const item: JsonObject = isObject(paths[path]) ? { ...(paths[path] as JsonObject) } : {};
      const integration: JsonObject = {
        type: 'aws_proxy', httpMethod: 'POST', uri: lambdaIntegrationUri(region, functionArn(region, accountId, functionName, qualifier)),
        payloadFormatVersion: event.payloadFormatVersion,
      };
      if (event.timeoutInMillis !== undefined) integration.timeoutInMillis = event.timeoutInMillis;
      // As SAM: an operation the document already has gets the integration; a missing one is created.
      item[field] = { ...(isObject(item[field]) ? item[field] : { responses: {} }), [INTEGRATION]: integration };
      paths[path] = item;
    }
    doc.paths = paths;
  }
  return JSON.stringify(doc);
}

/** CorsConfiguration as the document's x-amazon-apigateway-cors (the same members, camel-cased). */
function corsExtension(cors: Cors): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(cors)) if (v !== undefined) out[k[0].toLowerCase() + k.slice(1)] = v as Json;
  return out;
}

/** An imported API's document: the template's, with the API's settings and the HttpApi events of the stack's functions that name it. */
export function documentOf(spec: HttpApiSpec, functions: FunctionSpec[], region: string, accountId: string): string {
  const routes = functions.flatMap((f) => f.httpApiEvents.filter((e) => e.apiLogicalId === spec.logicalId).map((event) => ({ event, functionName: f.name, qualifier: f.autoPublishAlias })));
  const settings = { name: spec.name, description: spec.description, disableExecuteApiEndpoint: spec.disableExecuteApiEndpoint, cors: spec.cors };
  return httpApiDocument(spec.definition!, settings, routes, region, accountId);
}
