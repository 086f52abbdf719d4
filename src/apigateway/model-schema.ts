// Model schemas (JSON Schema draft 4, as API Gateway uses them): what CreateModel and UpdateModel
// accept, how one model refers to another (`$ref` to the canonical
// https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}), and the flattening
// GetModel's `flatten` asks for. The data plane compiles the same schemas (execute-api/request-validation.ts).
import draft04 from 'ajv-draft-04';
import type { ModelRecord } from '../store/apigateway-store.js';
import { emptyModelSchema, invalidModel } from './errors.js';
import { nestsDeeperThan } from '../core/json-depth.js';
import { userRegExp } from '../core/linear-regex.js';

const MODEL_URI = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/([^/]+)\/models\/([^/#?]+)$/;

/** The URI other models use to refer to `name` in API `apiId`. */
export const modelUri = (apiId: string, name: string): string => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;

// ajv-draft-04 is CommonJS: its class is the `default` member of what ESM imports.
const Ajv04 = draft04.default;
export type Draft4 = InstanceType<typeof Ajv04>;

// `pattern` and `patternProperties` compile through userRegExp: request bodies and WebSocket
// messages are the client's to choose, so their regexes run in linear time. ajv calls it once per
// pattern when a schema compiles (validators are cached per deployment); `code` names it only in
// standalone code, which Stagecraft never generates.
const regExp = Object.assign((source: string, flags: string) => userRegExp(source, flags), { code: 'userRegExp' });

/** A new draft-4 validator: every error reported, unknown keywords and formats tolerated (AWS's models carry many). */
export function newDraft4(): Draft4 {
  return new Ajv04({ allErrors: true, verbose: true, strict: false, validateFormats: false, logger: false, code: { regExp } });
}

let metaChecker: Draft4 | undefined;

/** Every `$ref` value in a schema document. */
export function refsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const v of schema) refsOf(v, out);
  else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

/**
 * A copy of a schema whose references to models (of any API: a cloned API's models still name the
 * source API) point at `apiId`'s, so one validator per deployment resolves them by name.
 */
export function rebaseRefs(schema: unknown, apiId: string): unknown {
  if (Array.isArray(schema)) return schema.map((v) => rebaseRefs(v, apiId));
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => {
    if (k !== '$ref' || typeof v !== 'string') return [k, rebaseRefs(v, apiId)];
    const [base, fragment] = v.split('#', 2);
    const m = MODEL_URI.exec(base);
    return [k, m ? modelUri(apiId, m[2]) + (fragment === undefined ? '' : `#${fragment}`) : v];
  }));
}

/** The model a `$ref` names in this API, or undefined when the reference is not in canonical form. */
export function referencedModel(ref: string, apiId: string): string | undefined {
  const m = MODEL_URI.exec(ref.split('#')[0]);
  return m && m[1] === apiId ? decodeURIComponent(m[2]) : undefined;
}

/**
 * Checks a schema as CreateModel and UpdateModel do: present and not `{}` (AWS's "must have at
 * least 1 property" message, recorded), JSON, a valid draft-4 schema, and references only to this
 * API's models in canonical form (`#…` pointers inside the document are allowed).
 */
export function checkModelSchema(text: string | undefined, apiId: string, selfName: string, hasModel: (name: string) => boolean): void {
  if (text === undefined || text.trim() === '') throw emptyModelSchema();
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw invalidModel(['Invalid model schema specified']);
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw invalidModel(['Invalid model schema specified']);
  if (Object.keys(schema).length === 0) throw emptyModelSchema();
  if (nestsDeeperThan(schema)) throw invalidModel(['Invalid model schema specified']);
  const errors = new Set<string>();
  if (!compiles(schema)) errors.add('Invalid model schema specified');
  for (const ref of refsOf(schema)) {
    if (ref.startsWith('#')) continue;
    const name = referencedModel(ref, apiId);
    if (name === undefined) {
      errors.add('Invalid model schema specified');
      errors.add('Model reference must be in canonical form');
    } else if (name !== selfName && !hasModel(name)) {
      errors.add(`Invalid model specified: ${name}`);
    }
  }
  if (errors.size) throw invalidModel([...errors]);
}

/**
 * Whether the data plane could compile the schema: valid against the draft-4 meta-schema (another
 * `$schema` is not draft 4), and its `#…` pointers resolve. References to models are checked by
 * name (checkModelSchema), so they stand in as empty schemas here.
 */
function compiles(schema: object): boolean {
  metaChecker ??= newDraft4();
  try {
    if (!metaChecker.validateSchema(schema)) return false;
    newDraft4().compile(withoutModelRefs(schema) as object);
    return true;
  } catch {
    return false;
  }
}

function withoutModelRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutModelRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as Record<string, unknown>).$ref;
  if (typeof ref === 'string' && !ref.startsWith('#')) return {};
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withoutModelRefs(v)]));
}

/**
 * GetModel with flatten=true: the schema with every reference to another model replaced by that
 * model's schema (recursively; a reference back into a model being expanded is left as it is).
 */
export function flattenSchema(model: ModelRecord, apiId: string, models: ReadonlyMap<string, ModelRecord>): string {
  const expand = (value: unknown, open: Set<string>): unknown => {
    if (Array.isArray(value)) return value.map((v) => expand(v, open));
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      const name = referencedModel(ref, apiId);
      const target = name === undefined ? undefined : models.get(name);
      if (target && !open.has(target.name)) {
        const parsed = parseOrUndefined(target.schema);
        if (parsed !== undefined) return expand(withoutSchemaKeyword(parsed), new Set([...open, target.name]));
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, open)]));
  };
  const parsed = parseOrUndefined(model.schema);
  return parsed === undefined ? model.schema : JSON.stringify(expand(parsed, new Set([model.name])), null, 2);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withoutSchemaKeyword(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
