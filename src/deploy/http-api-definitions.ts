// An AWS::Serverless::HttpApi defined by an OpenAPI document (DefinitionBody or DefinitionUri, with
// what SAM merges into it: http-api-document.ts). The first deploy imports the document (ImportApi);
// a changed document is reimported into the same API (ReimportApi: its id and stages stay); a
// document already imported (its digest is a tag of the API) is left alone. Then, once the stack's
// functions exist, the auto-deploying stage with its settings, and API Gateway's permission to call
// every function of the stack the document's integrations and authorizers name.
import { ImportApiCommand, ReimportApiCommand, TagResourceCommand } from '@aws-sdk/client-apigatewayv2';
import { definitionDigest } from './apis.js';
import { DEFINITION_TAG, definitionRoutes, grantDefinitionCalls } from './definitions.js';
import type { DeployedFunction } from './functions.js';
import { stackApiTags } from './api-ownership.js';
import type { HttpApiSpec } from './http-api-spec.js';
import { syncRouteSettings } from './http-api-route-settings.js';
import { findHttpApi, httpApiArn, syncStage, type DeployedHttpApi, type HttpApiContext } from './http-apis.js';

/** The API as the document (JSON text, merges made) describes it: imported, reimported or, unchanged, left as it is. */
export async function importHttpApiDocument(ctx: HttpApiContext, spec: HttpApiSpec, document: string): Promise<DeployedHttpApi> {
  const id = spec.logicalId;
  const client = ctx.apigatewayv2;
  const digest = definitionDigest(document);
  const found = await findHttpApi(ctx, spec);
  const label = `HTTP API ${spec.name} from its OpenAPI document`;
  if (found?.Tags?.[DEFINITION_TAG] === digest) {
    ctx.progress.report({ subject: id, kind: 'unchanged', message: `${label} (id ${found.ApiId})` });
    return { id: found.ApiId!, name: spec.name };
  }
  const answer = found
    ? await ctx.step(id, `reimporting the OpenAPI document into ${spec.name}`, () => client.send(new ReimportApiCommand({ ApiId: found.ApiId, Body: document, FailOnWarnings: spec.failOnWarnings })))
    : await ctx.step(id, `importing the OpenAPI document of ${spec.name}`, () => client.send(new ImportApiCommand({ Body: document, FailOnWarnings: spec.failOnWarnings })));
  for (const w of answer.Warnings ?? []) ctx.progress.warn(`${id}: ${w}`);
  const apiId = answer.ApiId!;
  // ImportApi takes no tags: the template's, the stack's and the document's digest are put after.
  await ctx.step(id, `tagging HTTP API ${spec.name}`, () => client.send(new TagResourceCommand({
    ResourceArn: httpApiArn(ctx.region, apiId), Tags: { ...spec.tags, ...stackApiTags(ctx.stackName, id), [DEFINITION_TAG]: digest },
  })));
  ctx.progress.report({ subject: id, kind: found ? 'updated' : 'created', message: `${label} (id ${apiId})` });
  return { id: apiId, name: spec.name };
}

/** The stage, its route settings and API Gateway's permissions; the document's routes, for the deploy's summary. */
export async function finishHttpApiDocument(
  ctx: HttpApiContext, spec: HttpApiSpec, api: DeployedHttpApi, document: string, functions: DeployedFunction[],
): Promise<{ method: string; path: string }[]> {
  await syncStage(ctx, spec, api);
  await syncRouteSettings(ctx, spec, api);
  await grantDefinitionCalls(ctx, { logicalId: spec.logicalId, definition: document, stageVariables: [spec.stageVariables] }, api, functions);
  return definitionRoutes(document);
}
