// GetExport with extensions=documentation: the documentation version a stage is associated with,
// written into the exported document as AWS's guide shows it. The parts go into the
// x-amazon-apigateway-documentation object whole; the attributes OpenAPI knows (and x-* ones) are
// also put into the entities they document. An entity without a part of its own takes the part of
// the most specific more general location (path by prefix, method and status code exactly or "*"),
// for the types AWS says inherit.
import type { DocumentationPartRecord, DocumentationVersionRecord } from '../../store/apigateway-documentation-store.js';
import { isObject, type Json, type JsonObject } from './document.js';
import { DOCUMENTATION_EXTENSION, documentationExtension, parsedProperties } from './documentation.js';

/** What each entity takes from its part's properties, besides x-* attributes. */
const INFO = ['title', 'description', 'termsOfService', 'contact', 'license'];
const ROOT = ['tags', 'externalDocs'];
const OPERATION = ['summary', 'description', 'tags', 'externalDocs', 'operationId', 'deprecated'];
const PATH_ITEM = ['summary', 'description'];
const RESPONSE = ['description'];
const PARAMETER = ['description'];
const SCHEMA = ['title', 'description'];
const IN: Record<string, string> = { PATH_PARAMETER: 'path', QUERY_PARAMETER: 'query', REQUEST_HEADER: 'header' };
const HTTP = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'x-amazon-apigateway-any-method'];

function copyKnown(target: JsonObject, properties: Json, keys: string[]): void {
  if (!isObject(properties)) return;
  for (const [k, v] of Object.entries(properties)) if (keys.includes(k) || k.startsWith('x-')) target[k] = v;
}

const pathCovers = (general: string, path: string) => general === '/' || path === general || path.startsWith(`${general}/`);

/** The part documenting an entity: its own, or (for inheriting types) the most specific one covering it. */
function partFor(parts: DocumentationPartRecord[], type: string, at: { path: string; method?: string; statusCode?: string; name?: string }, inherits: boolean): DocumentationPartRecord | undefined {
  let best: { part: DocumentationPartRecord; score: number } | undefined;
  for (const part of parts) {
    const l = part.location;
    if (l.type !== type || (at.name !== undefined && l.name !== at.name)) continue;
    const pathOk = inherits ? pathCovers(l.path ?? '/', at.path) : (l.path ?? '/') === at.path;
    const methodOk = l.method === undefined || l.method === '*' || l.method === at.method;
    const statusOk = l.statusCode === undefined || l.statusCode === '*' || l.statusCode === at.statusCode;
    if (!pathOk || !methodOk || !statusOk) continue;
    // Precedence: path, then status code, then method (AWS's guide orders path > statusCode).
    const score = (l.path ?? '/').length * 4 + (l.statusCode && l.statusCode !== '*' ? 2 : 0) + (l.method && l.method !== '*' ? 1 : 0);
    if (!best || score > best.score) best = { part, score };
  }
  return best?.part;
}

/** Writes the version's documentation into an exported Swagger 2.0 or OpenAPI 3 document. */
export function applyDocumentation(doc: JsonObject, version: DocumentationVersionRecord): void {
  const parts = version.parts;
  const api = parts.find((p) => p.location.type === 'API');
  if (api) {
    const properties = parsedProperties(api);
    if (isObject(properties) && isObject(doc.info)) copyKnown(doc.info, properties.info ?? {}, INFO);
    if (isObject(properties)) for (const [k, v] of Object.entries(properties)) if (ROOT.includes(k) || k.startsWith('x-')) doc[k] = v;
  }
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const resource = partFor(parts, 'RESOURCE', { path }, false);
    if (resource) copyKnown(item, parsedProperties(resource), doc.openapi ? PATH_ITEM : []);
    for (const key of HTTP) {
      const operation = item[key];
      if (!isObject(operation)) continue;
      const method = key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase();
      documentOperation(parts, operation, path, method);
    }
  }
  const schemas = isObject(doc.definitions) ? doc.definitions : isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  for (const part of parts) {
    if (part.location.type !== 'MODEL' || !part.location.name) continue;
    const [model, ...property] = part.location.name.split('.');
    let target: Json | undefined = schemas[model];
    for (const p of property) target = isObject(target) && isObject(target.properties) ? target.properties[p] : undefined;
    if (isObject(target)) copyKnown(target, parsedProperties(part), SCHEMA);
  }
  doc[DOCUMENTATION_EXTENSION] = documentationExtension(version);
}

function documentOperation(parts: DocumentationPartRecord[], operation: JsonObject, path: string, method: string): void {
  const own = partFor(parts, 'METHOD', { path, method }, true);
  if (own) copyKnown(operation, parsedProperties(own), OPERATION);
  for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
    if (!isObject(parameter) || typeof parameter.name !== 'string') continue;
    const type = Object.keys(IN).find((t) => IN[t] === parameter.in) ?? (parameter.in === 'body' ? 'REQUEST_BODY' : undefined);
    if (!type) continue;
    const part = partFor(parts, type, { path, method, ...(type === 'REQUEST_BODY' ? {} : { name: parameter.name }) }, true);
    if (part) copyKnown(parameter, parsedProperties(part), PARAMETER);
  }
  if (isObject(operation.requestBody)) {
    const body = partFor(parts, 'REQUEST_BODY', { path, method }, true);
    if (body) copyKnown(operation.requestBody, parsedProperties(body), PARAMETER);
  }
  for (const [statusCode, response] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
    if (!isObject(response)) continue;
    const part = partFor(parts, 'RESPONSE', { path, method, statusCode }, true);
    if (part) copyKnown(response, parsedProperties(part), RESPONSE);
    for (const [header, spec] of Object.entries(isObject(response.headers) ? response.headers : {})) {
      const headerPart = partFor(parts, 'RESPONSE_HEADER', { path, method, statusCode, name: header }, true);
      if (headerPart && isObject(spec)) copyKnown(spec, parsedProperties(headerPart), PARAMETER);
    }
  }
}
