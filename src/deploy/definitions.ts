// An AWS::Serverless::Api defined by an OpenAPI document (DefinitionBody or DefinitionUri): the
// document is put whole on the REST API (PutRestApi mode=overwrite, as CloudFormation does with a
// RestApi's Body), keeping the template's Name and BinaryMediaTypes; API Gateway may call the
// stack's functions its integrations and authorizers name; the stages serve a deployment of it.
// A document already put (its digest is a tag of the API) is not put again.
import {
  GetRestApiCommand, PutRestApiCommand, TagResourceCommand, UpdateRestApiCommand, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { canaryStage, type ApiSpec } from './api-spec.js';
import { definitionDigest, syncStages, type ApiContext, type DeployedApi } from './apis.js';
import { isNotFound } from './errors.js';
import type { DeployedFunction } from './functions.js';
import { ensurePermission, STATEMENT_PREFIX } from './permissions.js';
import { invokeUrls } from './urls.js';

/** The API tag holding the digest of the document last put on it. */
export const DEFINITION_TAG = 'stagecraft:definition';
const FUNCTION_URI = /arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^/"]+?)\/invocations/g;
/** A function ARN as a whole string of the document: HTTP APIs' integrations may name the function so. */
const FUNCTION_ARN = /"arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^/"]+)"/g;
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'x-amazon-apigateway-any-method']);

export interface DefinitionContext extends ApiContext {
  lambda: LambdaClient;
  accountId: string;
  endpoint: string;
}

export interface DeployedDefinition {
  deploymentId: string;
  stages: { name: string; variables: Record<string, string>; routes: { method: string; path: string; url: string; pathStyleUrl: string }[] }[];
}

export async function deployDefinition(ctx: DefinitionContext, spec: ApiSpec, api: DeployedApi, functions: DeployedFunction[]): Promise<DeployedDefinition> {
  const id = spec.logicalId;
  const definition = spec.definition!;
  const digest = definitionDigest(definition);
  const current = await ctx.step(id, `reading REST API ${api.name}`, () => ctx.apigateway.send(new GetRestApiCommand({ restApiId: api.id })));
  const label = `REST API ${api.name} from its OpenAPI document`;
  if (current.tags?.[DEFINITION_TAG] === digest) {
    ctx.progress.report({ subject: id, kind: 'unchanged', message: label });
  } else {
    const put = await ctx.step(id, `putting the OpenAPI document on ${api.name}`, () => ctx.apigateway.send(new PutRestApiCommand({
      restApiId: api.id, mode: 'overwrite', body: Buffer.from(definition),
    })));
    for (const w of put.warnings ?? []) ctx.progress.warn(`${id}: ${w}`);
    // The template's Name and BinaryMediaTypes win over the document's (as CloudFormation applies them).
    const ops: PatchOperation[] = [];
    if (put.name !== api.name) ops.push({ op: 'replace', path: '/name', value: api.name });
    for (const t of spec.binaryMediaTypes ?? []) {
      if (!(put.binaryMediaTypes ?? []).includes(t)) ops.push({ op: 'add', path: `/binaryMediaTypes/${t.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    }
    if (ops.length) await ctx.step(id, `updating REST API ${api.name}`, () => ctx.apigateway.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: ops })));
    const arn = `arn:aws:apigateway:${ctx.region}::/restapis/${api.id}`;
    await ctx.step(id, `tagging REST API ${api.name}`, () => ctx.apigateway.send(new TagResourceCommand({ resourceArn: arn, tags: { [DEFINITION_TAG]: digest } })));
    ctx.progress.report({ subject: id, kind: 'updated', message: label });
  }
  // A canary's StageVariableOverrides may name another alias.
  await grantDefinitionCalls(ctx, { logicalId: id, definition, stageVariables: spec.stages.flatMap((s) => [s, canaryStage(spec, s) ?? s]).map((s) => s.variables) }, api, functions);
  const { deploymentId } = await syncStages(ctx, spec, api, []);
  const routes = definitionRoutes(definition);
  return {
    deploymentId,
    stages: spec.stages.map((stage) => ({
      name: stage.name,
      variables: stage.variables,
      routes: routes.map((r) => {
        const urls = invokeUrls(ctx.endpoint, api.id, stage.name, r.path);
        return { method: r.method, path: r.path, url: urls.hostStyle, pathStyleUrl: urls.pathStyle };
      }),
    })),
  };
}

/** What a document's grants depend on: the API, its document, and each stage's variables (for `${stageVariables.x}` qualifiers). */
export interface DocumentCalls {
  logicalId: string;
  definition: string;
  stageVariables: Record<string, string>[];
}

/**
 * Lets API Gateway call every function of the stack that the document's integration or authorizer
 * URIs name (a `${stageVariables.x}` qualifier: the alias each stage names), on any route of the API
 * (REST or HTTP: both are execute-api ARNs).
 */
export async function grantDefinitionCalls(
  ctx: Pick<DefinitionContext, 'lambda' | 'region' | 'accountId' | 'progress' | 'step'>, doc: DocumentCalls, api: { id: string; name: string }, functions: DeployedFunction[],
): Promise<void> {
  const names = new Set(functions.map((f) => f.spec.name));
  const targets = new Map<string, { name: string; qualifier?: string }>();
  for (const m of [...doc.definition.matchAll(FUNCTION_URI), ...doc.definition.matchAll(FUNCTION_ARN)]) {
    const [name, qualifier] = splitQualifier(m[1]);
    if (!names.has(name)) continue;
    const variable = qualifier && /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/.exec(qualifier);
    const qualifiers = variable ? doc.stageVariables.map((v) => v[variable[1]]) : [qualifier];
    for (const q of qualifiers) targets.set(`${name}:${q ?? ''}`, { name, qualifier: q || undefined });
  }
  for (const { name, qualifier } of targets.values()) {
    const target = `${name}${qualifier ? `:${qualifier}` : ''}`;
    const changed = await ctx.step(doc.logicalId, `letting API Gateway call ${target}`, () => ensurePermission(ctx.lambda, {
      functionName: name, qualifier, sourceArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${api.id}/*`, statementId: `${STATEMENT_PREFIX}${api.id}-definition`,
    }).catch((e) => {
      if (!isNotFound(e)) throw e;
      ctx.progress.note(`${api.name}'s OpenAPI document calls ${target}, which doesn't exist yet`);
      return false;
    }));
    ctx.progress.report({ subject: doc.logicalId, kind: changed ? 'created' : 'unchanged', message: `permission for API Gateway to call ${target} (OpenAPI document)` });
  }
}

/** "name" or "name:qualifier" (the qualifier may be `${stageVariables.x}`). */
function splitQualifier(text: string): [string, string | undefined] {
  const i = text.indexOf(':');
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/** The document's methods by path, for the deploy's summary of invoke URLs. */
export function definitionRoutes(definition: string): { method: string; path: string }[] {
  const doc = JSON.parse(definition) as { paths?: Record<string, Record<string, unknown>> };
  const out: { method: string; path: string }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const key of Object.keys(item ?? {})) {
      if (HTTP_METHODS.has(key.toLowerCase())) out.push({ method: key.toLowerCase() === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase(), path });
    }
  }
  return out;
}
