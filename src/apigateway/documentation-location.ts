// Where a documentation part applies: which location fields each entity type takes (AWS's
// "valid location fields" table), the defaults a field it takes but was not given assumes
// (path "/", method and statusCode "*"), and the wording of the checks. A location is stored
// with those defaults filled in, so "METHOD on /" and "METHOD on / for *" are the same location.
import { awsError } from '../core/errors.js';
import type { DocumentationPart, DocumentationPartLocation } from '../aws/generated/apigateway.js';
import type { DocumentationLocation, DocumentationPartRecord } from '../store/apigateway-documentation-store.js';
import { badRequest } from './errors.js';
import { parseShallowJson } from '../core/json-depth.js';

type Field = 'path' | 'method' | 'statusCode' | 'name';
interface Rule { fields: Field[]; nameRequired?: boolean }

const PARAMETER: Rule = { fields: ['path', 'method', 'name'], nameRequired: true };
const RULES: Record<string, Rule> = {
  API: { fields: [] },
  AUTHORIZER: { fields: ['name'], nameRequired: true },
  MODEL: { fields: ['name'], nameRequired: true },
  RESOURCE: { fields: ['path'] },
  METHOD: { fields: ['path', 'method'] },
  PATH_PARAMETER: PARAMETER,
  QUERY_PARAMETER: PARAMETER,
  REQUEST_HEADER: PARAMETER,
  // AWS's guide documents request bodies without a name; the API reference lists name as valid.
  REQUEST_BODY: { fields: ['path', 'method', 'name'] },
  RESPONSE: { fields: ['path', 'method', 'statusCode'] },
  RESPONSE_HEADER: { fields: ['path', 'method', 'statusCode', 'name'], nameRequired: true },
  RESPONSE_BODY: { fields: ['path', 'method', 'statusCode'] },
};
const DEFAULTS: Partial<Record<Field, string>> = { path: '/', method: '*', statusCode: '*' };
const STATUS_CODE = /^([1-5]\d\d|\*|\s*)$/;

export const isDocumentationType = (type: unknown): type is string => typeof type === 'string' && type in RULES;

/**
 * The location as stored: the fields its type takes, defaults filled in. A field the type does
 * not take, a missing name, a path not starting with "/" or a malformed status code is refused
 * (the wording is ours; AWS documents the rules, not its messages).
 */
export function canonicalLocation(input: DocumentationPartLocation, member = 'createDocumentationPartInput.location'): DocumentationLocation {
  const rule = RULES[input.type];
  const location: DocumentationLocation = { type: input.type };
  for (const field of ['path', 'method', 'statusCode', 'name'] as const) {
    const value = input[field];
    const given = value !== undefined && value !== null && value !== '';
    if (given && !rule.fields.includes(field)) throw badRequest(`Invalid location specified: '${field}' is not a valid location field for type ${input.type}`);
    if (!rule.fields.includes(field)) continue;
    if (field === 'statusCode' && given && !STATUS_CODE.test(value)) {
      throw awsError('ValidationException', `1 validation error detected: Value '${value}' at '${member}.statusCode' failed to satisfy constraint: `
        + `Member must satisfy regular expression pattern: ${STATUS_CODE.source}`);
    }
    const filled = given && value.trim() !== '' ? value : DEFAULTS[field];
    if (filled !== undefined) location[field] = filled;
  }
  if (rule.nameRequired && !location.name) throw badRequest(`Invalid location specified: 'name' is required for type ${input.type}`);
  if (location.path !== undefined && !location.path.startsWith('/')) throw badRequest(`Invalid location specified: path must start with '/': ${location.path}`);
  return location;
}

/** The location as AWS's messages name it: "type 'METHOD', path '/pets', method 'GET'". */
export function describeLocation(l: DocumentationLocation): string {
  return [['type', l.type], ['path', l.path], ['method', l.method], ['statusCode', l.statusCode], ['name', l.name]]
    .filter(([, v]) => v !== undefined).map(([k, v]) => `${k} '${v}'`).join(', ');
}

/** AWS's 409 for a second part at one location (its wording, from AWS's guide). */
export const partExists = (l: DocumentationLocation) => awsError('ConflictException', `Documentation part already exists for the specified location: ${describeLocation(l)}.`);

/** `properties` must be JSON text; AWS keeps it as given. */
export function checkProperties(properties: string | undefined): string {
  if (properties === undefined || properties.trim() === '') throw badRequest('Documentation part properties must be non-empty');
  try {
    parseShallowJson(properties);
  } catch {
    throw badRequest('Documentation part properties must be valid JSON');
  }
  return properties;
}

/** Whether a part has content (GetDocumentationParts' locationStatus): anything but an empty object, null or an empty string. */
export function isDocumented(part: DocumentationPartRecord): boolean {
  try {
    const value = JSON.parse(part.properties) as unknown;
    if (value === null || value === '') return false;
    return typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0;
  } catch {
    return false;
  }
}

export const partView = (p: DocumentationPartRecord): DocumentationPart => ({
  id: p.id, location: { ...p.location } as DocumentationPartLocation, properties: p.properties,
});
