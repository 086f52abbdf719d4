// The models every REST API has from its creation (GetModels on a new API, recorded): Empty and
// Error, application/json, with the schema text and descriptions AWS gives them. They are
// ordinary models afterwards (they can be updated and deleted).
import type { ModelRecord } from '../store/apigateway-store.js';

export const EMPTY_SCHEMA = '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}';
export const ERROR_SCHEMA = '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n'
  + '  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}';

/** The built-in models with fresh ids (`newId` draws them). */
export function builtInModels(newId: () => string): ModelRecord[] {
  return [
    { id: newId(), name: 'Empty', description: 'This is a default empty schema model', schema: EMPTY_SCHEMA, contentType: 'application/json' },
    { id: newId(), name: 'Error', description: 'This is a default error schema model', schema: ERROR_SCHEMA, contentType: 'application/json' },
  ];
}
