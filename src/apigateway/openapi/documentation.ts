// The x-amazon-apigateway-documentation extension: the documentation parts an OpenAPI document
// carries (ImportDocumentationParts, ImportRestApi, PutRestApi read them) and writes back
// (GetExport with extensions=documentation), each part as { location, properties } with the
// properties as a JSON object, as AWS's guide shows them.
import { AwsError } from '../../core/errors.js';
import type { DocumentationPartLocation } from '../../aws/generated/apigateway.js';
import type { DocumentationLocation, DocumentationPartRecord, DocumentationVersionRecord } from '../../store/apigateway-documentation-store.js';
import { canonicalLocation, isDocumentationType } from '../documentation-location.js';
import { isObject, type Json, type JsonObject } from './document.js';
import { parseShallowJson } from '../../core/json-depth.js';

export const DOCUMENTATION_EXTENSION = 'x-amazon-apigateway-documentation';

export interface DocumentationEntry {
  location: DocumentationLocation;
  properties: string;
}

/**
 * The parts the document's extension lists, in its order. A part that is not one (no known
 * location type, fields its type does not take, properties that are not JSON) is left out with a
 * warning; a later part at the same location as an earlier one replaces it.
 */
export function readDocumentationParts(root: JsonObject): { entries: DocumentationEntry[]; warnings: string[] } {
  const extension = root[DOCUMENTATION_EXTENSION];
  const listed = isObject(extension) && Array.isArray(extension.documentationParts) ? extension.documentationParts : [];
  const byLocation = new Map<string, DocumentationEntry>();
  const warnings: string[] = [];
  listed.forEach((item, index) => {
    const problem = (why: string) => warnings.push(`Documentation part ${index + 1} was not imported: ${why}`);
    if (!isObject(item) || !isObject(item.location) || !isDocumentationType(item.location.type)) return void problem('its location has no valid type');
    let location: DocumentationLocation;
    try {
      location = canonicalLocation(stringFields(item.location), `${DOCUMENTATION_EXTENSION}.documentationParts.${index + 1}.location`);
    } catch (e) {
      if (e instanceof AwsError) return void problem(e.message);
      throw e;
    }
    const properties = typeof item.properties === 'string' ? parsesAsJson(item.properties) : JSON.stringify(item.properties ?? {});
    if (properties === undefined) return void problem('its properties are not JSON');
    byLocation.set(JSON.stringify(location), { location, properties });
  });
  return { entries: [...byLocation.values()], warnings };
}

const parsesAsJson = (text: string): string | undefined => {
  try {
    parseShallowJson(text);
    return text;
  } catch {
    return undefined;
  }
};

function stringFields(location: JsonObject): DocumentationPartLocation {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(location)) if (v !== null && v !== undefined) out[k] = String(v);
  return out as unknown as DocumentationPartLocation;
}

/** The extension as GetExport writes it: a version's parts, locations without the defaults AWS fills in. */
export function documentationExtension(version: DocumentationVersionRecord): JsonObject {
  return {
    version: version.version,
    createdDate: new Date(version.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    documentationParts: version.parts.map((p) => ({ location: exportedLocation(p), properties: parsedProperties(p) })),
  };
}

const DEFAULTS: Record<string, string> = { path: '/', method: '*', statusCode: '*' };

function exportedLocation(p: DocumentationPartRecord): JsonObject {
  const out: JsonObject = { type: p.location.type };
  for (const field of ['path', 'method', 'statusCode', 'name'] as const) {
    const value = p.location[field];
    if (value !== undefined && value !== DEFAULTS[field]) out[field] = value;
  }
  return out;
}

export function parsedProperties(p: DocumentationPartRecord): Json {
  try {
    return parseShallowJson(p.properties) as Json;
  } catch {
    return p.properties;
  }
}
