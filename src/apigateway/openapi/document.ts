// Reading an OpenAPI document (Swagger 2.0 or OpenAPI 3.x) as ImportRestApi and PutRestApi receive
// it: JSON or YAML text, its version, local `$ref`s, and the base path its `basePath` (2.0) or first
// server URL (3.x) declares.
import { parse as parseYaml } from 'yaml';
import { badRequest } from '../errors.js';
import { nestsDeeperThan } from '../../core/json-depth.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OpenApiDocument {
  version: 'swagger2' | 'oas3';
  root: JsonObject;
}

/** AWS's answer for a body that is not an OpenAPI document (recorded for bad JSON and bad YAML). */
export const invalidOpenApi = () => badRequest('Invalid OpenAPI input.');

export const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The body read as JSON, else as YAML; `unreadable` when it is neither, or nests too deeply to walk. */
export function parseJsonOrYaml(body: Buffer | string | undefined, unreadable: () => Error): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body ?? '';
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    try {
      root = parseYaml(text, { maxAliasCount: 100 });
    } catch {
      throw unreadable();
    }
  }
  if (nestsDeeperThan(root)) throw unreadable();
  return root;
}

/** The body as a Swagger 2.0 or OpenAPI 3.x document, or AWS's "Invalid OpenAPI input." */
export function parseDocument(body: Buffer | string | undefined): OpenApiDocument {
  const root = parseJsonOrYaml(body, invalidOpenApi);
  if (!isObject(root)) throw invalidOpenApi();
  const version = String(root.swagger ?? '') === '2.0' ? 'swagger2' : /^3\.\d+(\.\d+)?$/.test(String(root.openapi ?? '')) ? 'oas3' : undefined;
  if (!version || (root.paths !== undefined && !isObject(root.paths))) throw invalidOpenApi();
  return { version, root };
}

/** Follows a local `$ref` ("#/definitions/X", "#/components/parameters/Y"); the value itself when it is none. */
export function resolve(doc: OpenApiDocument, value: Json | undefined): Json | undefined {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) return current;
    let target: Json | undefined = doc.root;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw badRequest(`Invalid OpenAPI input. Reference not found: ${ref}`);
    current = target;
  }
  return current;
}

/** The model a schema `$ref` names ("#/definitions/Pet", "#/components/schemas/Pet"), if it names one. */
export function modelNameOf(schema: Json | undefined): string | undefined {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return undefined;
  const m = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(schema.$ref);
  return m ? decodeURIComponent(m[1].replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

/** The document's models: `definitions` (2.0) or `components.schemas` (3.x). */
export function schemasOf(doc: OpenApiDocument): JsonObject {
  const schemas = doc.version === 'swagger2' ? doc.root.definitions : isObject(doc.root.components) ? doc.root.components.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

/** The security schemes: `securityDefinitions` (2.0) or `components.securitySchemes` (3.x). */
export function securitySchemesOf(doc: OpenApiDocument): JsonObject {
  const schemes = doc.version === 'swagger2' ? doc.root.securityDefinitions : isObject(doc.root.components) ? doc.root.components.securitySchemes : undefined;
  return isObject(schemes) ? schemes : {};
}

/** The base path the document declares, "" for none: `basePath` (2.0) or the path of the first server URL with its variables' defaults (3.x). */
export function declaredBasePath(doc: OpenApiDocument): string {
  let path = '';
  if (doc.version === 'swagger2') {
    path = typeof doc.root.basePath === 'string' ? doc.root.basePath : '';
  } else {
    const server = Array.isArray(doc.root.servers) ? doc.root.servers[0] : undefined;
    if (isObject(server) && typeof server.url === 'string') {
      const variables = isObject(server.variables) ? server.variables : {};
      const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const variable = variables[name];
        return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
      });
      const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/]*(\/.*)?$/i.exec(url);
      path = m ? m[1] ?? '' : url;
    }
  }
  return path.split('/').filter(Boolean).join('/');
}

/** Where the document's paths go under `basepath` (AWS's ignore | prepend | split): the prefix to put before each path. */
export function pathPrefix(doc: OpenApiDocument, basepath: string | undefined): string {
  const mode = (basepath ?? 'ignore').toLowerCase();
  if (mode !== 'ignore' && mode !== 'prepend' && mode !== 'split') {
    throw badRequest(`Invalid basepath parameter value '${basepath}'. Valid values are ignore, prepend, split`);
  }
  const segments = declaredBasePath(doc).split('/').filter(Boolean);
  if (mode === 'ignore') return '';
  const kept = mode === 'prepend' ? segments : segments.slice(1);
  return kept.length ? `/${kept.join('/')}` : '';
}
