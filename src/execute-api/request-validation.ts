// Request validation (a method's requestValidatorId): the step after authorization and the API
// key, before the integration request, as AWS orders it. With validateRequestParameters, every
// request parameter the method marks required (`method.request.{querystring,header,path}.x: true`)
// must be present and not blank — BAD_REQUEST_PARAMETERS, "Missing required request parameters:
// [a, b]" (recorded wording). With validateRequestBody, the body must satisfy the model that
// requestModels names for the request's Content-Type (absent: application/json), else the
// `$default` entry's; no matching entry, no body validation (AWS's documented rule) — else
// BAD_REQUEST_BODY, "Invalid request body". $context.error.validationErrorString carries the detail.
//
// Schemas are compiled once per deployment snapshot (snapshots are immutable and keep their
// identity while cached, so a WeakMap keyed by the snapshot holds one validator per deployment);
// methods without a validator never reach this module.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DeploymentSnapshot } from '../store/apigateway-store.js';
import { modelUri, newDraft4, rebaseRefs, type Draft4 } from '../apigateway/model-schema.js';
import type { InvocationContext } from './context.js';
import { header } from './context.js';
import { GatewayError, configurationError } from './errors.js';
import { bare } from './media-types.js';

const PARAMETER = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/;

interface CompiledModels {
  ajv: Draft4;
  /** Compiled validators by model name; an Error when the model's schema would not compile. */
  byName: Map<string, ValidateFunction | Error>;
}

const compiled = new WeakMap<DeploymentSnapshot, CompiledModels>();

function modelsOf(snapshot: DeploymentSnapshot, apiId: string): CompiledModels {
  let entry = compiled.get(snapshot);
  if (!entry) {
    const ajv = newDraft4();
    for (const model of Object.values(snapshot.models ?? {})) {
      try {
        ajv.addSchema(rebaseRefs(JSON.parse(model.schema), apiId) as object, modelUri(apiId, model.name));
      } catch {
        // Reported when a method uses it (validatorFor).
      }
    }
    entry = { ajv, byName: new Map() };
    compiled.set(snapshot, entry);
  }
  return entry;
}

/** The model's compiled validator (compiled on first use, then reused by every request to the deployment). */
export function validatorFor(snapshot: DeploymentSnapshot, apiId: string, name: string): ValidateFunction {
  const models = modelsOf(snapshot, apiId);
  let fn = models.byName.get(name);
  if (fn === undefined) {
    try {
      fn = models.ajv.getSchema(modelUri(apiId, name)) ?? new Error(`model ${name} is not part of the deployment`);
    } catch (e) {
      fn = e instanceof Error ? e : new Error(String(e));
    }
    models.byName.set(name, fn);
  }
  if (fn instanceof Error) throw configurationError(`Invalid model ${name}: ${fn.message}`);
  return fn;
}

/** The step: the method's validator, if the deployment has it, with its two checks in AWS's order. */
export function validateRequest(ctx: InvocationContext): void {
  const snapshot = ctx.resolved!.deployment.snapshot;
  const validator = snapshot.requestValidators?.[ctx.method!.requestValidatorId!];
  if (!validator) return;
  if (validator.validateRequestParameters) checkParameters(ctx);
  if (validator.validateRequestBody) checkBody(ctx, snapshot);
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/** The required parameters the request lacks, in the order of their names (as AWS lists them, recorded). */
export function missingParameters(ctx: InvocationContext): string[] {
  const missing: string[] = [];
  const required = ctx.method!.requestParameters ?? {};
  for (const key of Object.keys(required).sort()) {
    if (required[key] !== true) continue;
    const m = PARAMETER.exec(key);
    if (!m) continue;
    const [, location, name] = m;
    let present: boolean;
    if (location === 'path') present = !blank(ctx.pathParameters?.[name]);
    else if (location === 'header' || location === 'multivalueheader') present = !blank(header(ctx.request, name));
    else present = (ctx.request.multiQuery?.[name] ?? []).some((v) => !blank(v));
    if (!present) missing.push(name);
  }
  return missing;
}

function checkParameters(ctx: InvocationContext): void {
  const missing = missingParameters(ctx);
  if (!missing.length) return;
  const message = `Missing required request parameters: [${missing.join(', ')}]`;
  throw new GatewayError('BAD_REQUEST_PARAMETERS', message, { message, validationErrorString: message });
}

/** The model requestModels names for a Content-Type: its exact media type, else `$default`, else none. */
export function modelForContentType(requestModels: Readonly<Record<string, string>> | undefined, contentType: string | undefined): string | undefined {
  if (!requestModels) return undefined;
  const type = contentType ? bare(contentType) : 'application/json';
  let fallback: string | undefined;
  for (const [key, model] of Object.entries(requestModels)) {
    if (key.toLowerCase() === type) return model;
    if (key === '$default') fallback = model;
  }
  return fallback;
}

function checkBody(ctx: InvocationContext, snapshot: DeploymentSnapshot): void {
  const name = modelForContentType(ctx.method!.requestModels, header(ctx.request, 'content-type'));
  if (name === undefined) return;
  const validate = validatorFor(snapshot, ctx.apiId, name);
  let body: unknown = {};
  // An empty body is validated as an empty object (our choice; AWS does not document it).
  if (ctx.request.body.length) {
    try {
      body = JSON.parse(ctx.request.body.toString('utf8'));
    } catch (e) {
      invalidBody(`[Invalid JSON: ${e instanceof Error ? e.message : String(e)}]`);
    }
  }
  if (!validate(body)) invalidBody(validationErrorString(validate.errors ?? []));
}

/**
 * AWS's validationErrorString comes JSON-escaped (`[object has missing required properties
 * ([\"b\"])]`), so templates can put it between quotes.
 */
function invalidBody(findings: string): never {
  throw new GatewayError('BAD_REQUEST_BODY', `Request body does not match model schema for content type: ${findings}`,
    { validationErrorString: JSON.stringify(findings).slice(1, -1) });
}

/**
 * The validator's findings in the style of AWS's (JSON Schema validator) report:
 * `[object has missing required properties (["b"]), …]`. Failures inside a oneOf/anyOf branch are
 * summarised by the oneOf/anyOf itself.
 */
export function validationErrorString(errors: readonly ErrorObject[]): string {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.schemaPath + '/');
  const top = errors.filter((e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix)));
  // One entry per finding; the missing properties of one object are gathered into one finding.
  const findings: (string | string[])[] = [];
  const missingAt = new Map<string, string[]>();
  for (const e of top) {
    if (e.keyword !== 'required') {
      findings.push(describe(e));
      continue;
    }
    let missing = missingAt.get(e.instancePath);
    if (!missing) {
      missing = [];
      missingAt.set(e.instancePath, missing);
      findings.push(missing);
    }
    missing.push(String(e.params.missingProperty));
  }
  const text = findings.map((f) => (typeof f === 'string' ? f : `object has missing required properties (${JSON.stringify([...f].sort())})`));
  return `[${text.join(', ')}]`;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `instance type (${jsonType(e.data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(String(p.type).split(','))})`;
    case 'enum':
      return `instance value (${JSON.stringify(e.data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify([p.additionalProperty])}`;
    case 'minLength':
      return `string ${JSON.stringify(e.data)} is too short (length: ${String(e.data).length}, required minimum: ${String(p.limit)})`;
    case 'maxLength':
      return `string ${JSON.stringify(e.data)} is too long (length: ${String(e.data).length}, maximum allowed: ${String(p.limit)})`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)}, found: ${String(e.data)})`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)}, found: ${String(e.data)})`;
    case 'pattern':
      return `ECMA 262 regex ${JSON.stringify(p.pattern)} does not match input string ${JSON.stringify(e.data)}`;
    case 'oneOf':
    case 'anyOf':
      return `instance failed to match ${e.keyword === 'oneOf' ? 'exactly one schema' : 'at least one schema'}`;
    default:
      return `${e.instancePath || 'instance'} ${e.message ?? 'is invalid'}`;
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
