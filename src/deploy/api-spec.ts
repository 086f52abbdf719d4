// A REST API as the deploy creates it: name, binary media types, models and stages from the
// template, the stages and function alias stagecraft.yml adds, and which alias each stage's
// integrations call.
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TemplateError, type Location } from './issues.js';
import { evaluate, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { ALIAS_NAME, STAGE_NAME, STAGE_VARIABLE_ALIAS, VARIABLE_NAME, VARIABLE_VALUE, type ApiOverlay } from './project.js';
import { entry, get, type TNode } from './source.js';
import { IMPLICIT_API } from './spec.js';
import { gatewayResponsesSpec, type GatewayResponseSpec } from './gateway-responses.js';
import type { FunctionSpec } from './function-spec.js';
import { corsSpec, type CorsSpec } from './cors.js';
import {
  accessLogSpec, cacheClusterSpec, canarySpec, methodSettingsSpec, type AccessLogSpec, type CacheClusterSpec, type CanarySpec, type MethodSettingSpec,
} from './stage-settings-spec.js';
import { domainSpec, type DomainSpec } from './domain-spec.js';
import { PLACEHOLDER, type ActiveResource, type StackModel } from './stack-model.js';

export interface StageSpec {
  name: string;
  variables: Record<string, string>;
  description?: string;
}

export interface ApiSpec {
  logicalId: string;
  loc: Location;
  name: string;
  description?: string;
  binaryMediaTypes?: string[];
  stages: StageSpec[];
  /** From stagecraft.yml: the alias every integration calls, literal or `${stageVariables.X}`. */
  functionAlias?: string;
  implicit: boolean;
  /** Cors: preflight methods on every path (cors.ts). */
  cors?: CorsSpec;
  /** Models: JSON Schema draft-4 documents by name, as API Gateway models (application/json). */
  models?: { name: string; schema: string }[];
  /** DefinitionBody or DefinitionUri: the OpenAPI document (JSON text) that defines the API's routes. */
  definition?: string;
  /** MethodSettings and AccessLogSetting, applied to every stage (stage-settings-spec.ts). */
  methodSettings?: MethodSettingSpec[];
  accessLog?: AccessLogSpec;
  /** DisableExecuteApiEndpoint: the API answers only through custom domain names. */
  disableExecuteApiEndpoint?: boolean;
  /** ApiKeySourceType: where API keys come from (the x-api-key header, or the Lambda authorizer). */
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** Tags: SAM puts them on the API's stages. */
  stageTags?: Record<string, string>;
  /** GatewayResponses: customised gateway responses (gateway-responses.ts). */
  gatewayResponses?: GatewayResponseSpec[];
  /** CacheClusterEnabled and CacheClusterSize, applied to every stage. */
  cacheCluster?: CacheClusterSpec;
  /** CanarySetting: every stage's canary, serving the stage's deployment with its variables overridden. */
  canary?: CanarySpec;
  /** Domain: a custom domain name whose base paths map to the first stage (domains.ts). */
  domain?: DomainSpec;
  /** MinimumCompressionSize: the smallest response body (bytes) compressed for clients that accept it. */
  minimumCompressionSize?: number;
  /** Policy: the API's resource policy document (deploy adds the statements of Auth.ResourcePolicy; resource-policy-spec.ts). */
  policy?: { [key: string]: Value };
}

/** API properties SAM merges into a DefinitionBody; stagecraft deploy asks for them in the document instead. */
const MERGED_INTO_DEFINITION = ['Auth', 'Cors', 'Models', 'GatewayResponses'];

const MODEL_NAME = /^[A-Za-z0-9]+$/;

/** An API's settings and stages from its resource and stagecraft.yml, checked; throws a located TemplateError at the first problem. */
export function apiSpec(model: StackModel, r: ActiveResource, scope: Scope): ApiSpec {
  const p = r.properties;
  const id = r.def.logicalId;
  const implicit = id === IMPLICIT_API && !model.template.resources.some((x) => x.logicalId === IMPLICIT_API);
  const value = (key: string): Value | undefined => {
    const node = get(p, key);
    if (!node) return undefined;
    const v = evaluate(node, scope);
    return v === NO_VALUE || v === null ? undefined : v;
  };
  const at = (key: string) => {
    const e = entry(p, key);
    return e ? { path: e.value.path, loc: e.value.loc } : { path: `${r.def.path}.Properties`, loc: r.def.loc };
  };
  const fail = (key: string, message: string): never => {
    const w = at(key);
    throw new TemplateError(message, w.path, w.loc);
  };
  const name = value('Name') === undefined ? (implicit ? model.identity.stackName : `${model.identity.stackName}-${id}`) : String(value('Name'));
  const stageName = value('StageName');
  if (stageName === undefined) fail('StageName', `${id} needs a StageName (for example dev)`);
  const stage = String(stageName);
  if (!PLACEHOLDER.test(stage) && !STAGE_NAME.test(stage)) fail('StageName', `stage name '${stage}' may only contain letters, digits, hyphens and underscores`);
  const variables: Record<string, string> = {};
  const vars = value('Variables');
  if (vars !== undefined) {
    if (typeof vars !== 'object' || Array.isArray(vars)) fail('Variables', 'Variables is a map of stage variable names to values');
    for (const [k, v] of Object.entries(vars as Record<string, Value>)) {
      if (typeof v === 'object' && v !== null) fail('Variables', `stage variable ${k} must be a string`);
      variables[k] = String(v);
    }
  }
  const binary = value('BinaryMediaTypes');
  if (binary !== undefined && (!Array.isArray(binary) || binary.some((b) => typeof b !== 'string'))) fail('BinaryMediaTypes', 'BinaryMediaTypes is a list of media types');
  const description = value('Description');
  const corsValue = value('Cors');
  const cors = corsValue === undefined ? undefined : corsSpec(corsValue, fail);
  const modelsValue = value('Models');
  let models: ApiSpec['models'];
  if (modelsValue !== undefined) {
    if (typeof modelsValue !== 'object' || Array.isArray(modelsValue)) fail('Models', 'Models is a map of model names to JSON schemas');
    models = Object.entries(modelsValue as Record<string, Value>).map(([modelName, schema]) => {
      if (!MODEL_NAME.test(modelName)) fail('Models', `model name '${modelName}' must be alphanumeric (API Gateway's rule)`);
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) fail('Models', `model ${modelName} is a JSON schema (a map)`);
      return { name: modelName, schema: JSON.stringify(schema) };
    });
  }

  const definition = definitionOf(model, value('DefinitionBody'), value('DefinitionUri'), fail);
  if (definition !== undefined) {
    for (const key of MERGED_INTO_DEFINITION) {
      if (get(p, key) && !(key === 'Auth' && onlyUsagePlan(get(p, key)!))) fail(key, `stagecraft deploy does not merge ${key} into a DefinitionBody or DefinitionUri: describe it in the OpenAPI document (x-amazon-apigateway-* extensions)`);
    }
  }
  const methodSettingsValue = value('MethodSettings');
  const methodSettings = methodSettingsValue === undefined ? undefined : methodSettingsSpec(methodSettingsValue, (m) => fail('MethodSettings', m));
  const accessLogValue = value('AccessLogSetting');
  const accessLog = accessLogValue === undefined ? undefined : accessLogSpec(accessLogValue, (m) => fail('AccessLogSetting', m));
  const cacheCluster = cacheClusterSpec(value('CacheClusterEnabled'), value('CacheClusterSize'), fail);

  const overlay: ApiOverlay | undefined = model.project?.apis.find((a) => a.logicalId === id);
  if (definition !== undefined && overlay?.functionAlias) {
    throw new TemplateError(`FunctionAlias does not apply to ${id}: its OpenAPI document names the functions its integrations call`, `Apis.${id}.FunctionAlias`, overlay.functionAlias.loc);
  }
  const stages: StageSpec[] = [{ name: stage, variables }];
  for (const s of overlay?.stages ?? []) {
    const existing = stages.find((x) => x.name === s.name);
    if (existing) {
      Object.assign(existing.variables, s.variables);
      existing.description = s.description ?? existing.description;
    } else {
      stages.push({ name: s.name, variables: { ...variables, ...s.variables }, description: s.description });
    }
  }
  for (const s of stages) {
    for (const [k, v] of Object.entries(s.variables)) {
      if (!VARIABLE_NAME.test(k)) throw new TemplateError(`stage variable name '${k}' (stage ${s.name}) may only contain letters, digits and underscores`, at('Variables').path, at('Variables').loc);
      if (!PLACEHOLDER.test(v) && !VARIABLE_VALUE.test(v)) throw new TemplateError(`stage variable ${k}='${v}' (stage ${s.name}) has characters API Gateway doesn't allow`, at('Variables').path, at('Variables').loc);
    }
  }
  const spec: ApiSpec = { logicalId: id, loc: r.def.loc, name, stages, implicit };
  if (description !== undefined) spec.description = String(description);
  if (binary !== undefined) spec.binaryMediaTypes = binary as string[];
  if (cors) spec.cors = cors;
  if (models) spec.models = models;
  if (definition !== undefined) spec.definition = definition;
  if (methodSettings) spec.methodSettings = methodSettings;
  if (accessLog) spec.accessLog = accessLog;
  const disable = value('DisableExecuteApiEndpoint');
  if (disable !== undefined) {
    if (disable !== true && disable !== false && disable !== 'true' && disable !== 'false') fail('DisableExecuteApiEndpoint', 'DisableExecuteApiEndpoint is true or false');
    spec.disableExecuteApiEndpoint = disable === true || disable === 'true';
  }
  const keySource = value('ApiKeySourceType');
  if (keySource !== undefined) {
    if (keySource !== 'HEADER' && keySource !== 'AUTHORIZER') fail('ApiKeySourceType', `ApiKeySourceType is HEADER or AUTHORIZER, got ${JSON.stringify(keySource)}`);
    spec.apiKeySource = keySource as 'HEADER' | 'AUTHORIZER';
  }
  const responses = value('GatewayResponses');
  if (responses !== undefined) spec.gatewayResponses = gatewayResponsesSpec(responses, (m) => fail('GatewayResponses', m));
  const tags = value('Tags');
  if (tags !== undefined) {
    if (typeof tags !== 'object' || Array.isArray(tags)) fail('Tags', 'Tags is a map of tag names to values');
    spec.stageTags = {};
    for (const [k, v] of Object.entries(tags as Record<string, Value>)) {
      if (typeof v === 'object' && v !== null) fail('Tags', `tag ${k} must be a string`);
      spec.stageTags[k] = String(v);
    }
  }
  if (cacheCluster) spec.cacheCluster = cacheCluster;
  const canaryValue = value('CanarySetting');
  if (canaryValue !== undefined) {
    spec.canary = canarySpec(canaryValue, (m) => fail('CanarySetting', m));
    for (const [k, v] of Object.entries(spec.canary.stageVariableOverrides)) {
      if (!VARIABLE_NAME.test(k)) fail('CanarySetting', `stage variable name '${k}' (CanarySetting.StageVariableOverrides) may only contain letters, digits and underscores`);
      if (!PLACEHOLDER.test(v) && !VARIABLE_VALUE.test(v)) fail('CanarySetting', `stage variable ${k}='${v}' (CanarySetting.StageVariableOverrides) has characters API Gateway doesn't allow`);
    }
  }
  const domainValue = value('Domain');
  if (domainValue !== undefined) spec.domain = domainSpec(domainValue, 'Api', (m) => fail('Domain', m));
  const compression = value('MinimumCompressionSize');
  if (compression !== undefined) spec.minimumCompressionSize = compressionSize(compression, (m) => fail('MinimumCompressionSize', m));
  const policy = value('Policy');
  if (policy !== undefined) spec.policy = policyDocument(policy, (m) => fail('Policy', m));
  // With a document, both go into it (as its x-amazon-apigateway-* extensions), over what it says.
  if (spec.definition !== undefined && (spec.policy || spec.minimumCompressionSize !== undefined)) {
    const doc = JSON.parse(spec.definition) as Record<string, unknown>;
    if (spec.policy) doc['x-amazon-apigateway-policy'] = spec.policy;
    if (spec.minimumCompressionSize !== undefined) doc['x-amazon-apigateway-minimum-compression-size'] = spec.minimumCompressionSize;
    spec.definition = JSON.stringify(doc);
  }
  if (overlay?.functionAlias) {
    spec.functionAlias = overlay.functionAlias.value;
    const m = STAGE_VARIABLE_ALIAS.exec(overlay.functionAlias.value);
    if (m) {
      for (const s of stages) {
        const aliasName = s.variables[m[1]];
        if (aliasName === undefined) {
          throw new TemplateError(`stage ${s.name} doesn't set stage variable ${m[1]}, which FunctionAlias uses to pick the alias`, `Apis.${id}.FunctionAlias`, overlay.functionAlias.loc);
        }
        if (!PLACEHOLDER.test(aliasName) && !ALIAS_NAME.test(aliasName)) {
          throw new TemplateError(`stage ${s.name} sets ${m[1]}='${aliasName}', which is not a valid alias name`, `Apis.${id}.Stages`, overlay.functionAlias.loc);
        }
      }
      const canaryAlias = spec.canary?.stageVariableOverrides[m[1]];
      if (canaryAlias !== undefined && !PLACEHOLDER.test(canaryAlias) && !ALIAS_NAME.test(canaryAlias)) {
        fail('CanarySetting', `CanarySetting.StageVariableOverrides sets ${m[1]}='${canaryAlias}', which FunctionAlias uses to pick the alias and is not a valid alias name`);
      }
    }
  }
  return spec;
}

/** An Auth with nothing but a UsagePlan: the plan and its key are made beside the document, not merged into it. */
function onlyUsagePlan(auth: TNode): boolean {
  return auth.kind === 'map' && auth.entries.length === 1 && auth.entries[0].key === 'UsagePlan';
}

/** API Gateway's bounds for minimumCompressionSize (bytes). */
const MAX_COMPRESSION_SIZE = 10485760;

/** MinimumCompressionSize: a whole number of bytes from 0 to 10485760 (or its text). */
export function compressionSize(v: Value, fail: (message: string) => never): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_COMPRESSION_SIZE) {
    fail(`MinimumCompressionSize is a whole number of bytes from 0 to ${MAX_COMPRESSION_SIZE}, got ${JSON.stringify(v)}`);
  }
  return n as number;
}

/** Policy: a policy document, as a map or as its JSON text, with a Statement. */
export function policyDocument(v: Value, fail: (message: string) => never): NonNullable<ApiSpec['policy']> {
  let doc: unknown = v;
  if (typeof v === 'string') {
    try {
      doc = JSON.parse(v);
    } catch {
      fail('Policy is a policy document: a map, or its JSON text');
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('Policy is a policy document: a map, or its JSON text');
  const statement = (doc as Record<string, Value>).Statement;
  if (statement === undefined || (typeof statement !== 'object' || statement === null)) fail('Policy needs a Statement (a statement or a list of them)');
  return doc as NonNullable<ApiSpec['policy']>;
}

/** The alias a stage's integrations call for a function, or undefined for the unqualified function. */
export function stageAlias(api: ApiSpec, fn: FunctionSpec, stage: StageSpec): string | undefined {
  if (api.functionAlias) {
    const m = STAGE_VARIABLE_ALIAS.exec(api.functionAlias);
    return m ? stage.variables[m[1]] : api.functionAlias;
  }
  return fn.autoPublishAlias;
}

/** The stage as its canary serves it: its variables with the canary's overrides (undefined without a canary). */
export function canaryStage(api: ApiSpec, stage: StageSpec): StageSpec | undefined {
  return api.canary && { ...stage, variables: { ...stage.variables, ...api.canary.stageVariableOverrides } };
}

/** What an integration URI puts after the function name (`:alias`, `:${stageVariables.env}` or nothing). */
export function integrationQualifier(api: ApiSpec, fn: FunctionSpec): string | undefined {
  return api.functionAlias ?? fn.autoPublishAlias;
}

/** The OpenAPI document of DefinitionBody (a map, intrinsics evaluated) or DefinitionUri (a local JSON or YAML file), as JSON text. */
export function definitionOf(model: StackModel, body: Value | undefined, uri: Value | undefined, fail: (key: string, message: string) => never): string | undefined {
  if (body !== undefined && uri !== undefined) fail('DefinitionUri', 'give DefinitionBody or DefinitionUri, not both');
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('DefinitionBody', 'DefinitionBody is an OpenAPI document (a map)');
    return JSON.stringify(body);
  }
  if (uri === undefined) return undefined;
  if (typeof uri !== 'string') fail('DefinitionUri', 'DefinitionUri must be the path of a local OpenAPI file (S3 locations are not supported)');
  const file = resolvePath(model.template.dir, uri as string);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail('DefinitionUri', `cannot read the OpenAPI file ${file}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return fail('DefinitionUri', `${file} is not JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('DefinitionUri', `${file} is not an OpenAPI document (a map)`);
  return JSON.stringify(doc);
}
