// `stagecraft promote --api … --dry-run`: what promoting stage --from to stage --to would change
// (stage-preview-result.ts), read over the AWS SDK: the stages, the two deployments, and both
// stages' exports (REST GetExport with integrations, HTTP API ExportApi as OpenAPI, WebSocket API
// ExportApi as Stagecraft's routes export, since AWS exports no WebSocket API). Nothing is written.
import { GetDeploymentCommand, GetExportCommand } from '@aws-sdk/client-api-gateway';
import { ExportApiCommand, GetDeploymentCommand as GetHttpDeploymentCommand } from '@aws-sdk/client-apigatewayv2';
import type { OpenApiDocument } from './route-diff.js';
import { deploymentSummaryOf, previewStagePromotionWith, v2ExportSpecification, type DeploymentSummary, type StagePromotionPreview as Preview } from './stage-preview-result.js';
import { readStages, resolveApi, type ApiRef, type StageClients } from './stage-promotion.js';

export type { DeploymentSummary };
export type StagePromotionPreview = Preview<ApiRef>;

async function deploymentSummary(clients: StageClients, api: ApiRef, id: string): Promise<DeploymentSummary> {
  if (api.kind === 'rest') {
    const d = await clients.apigateway.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: id }));
    return deploymentSummaryOf(id, d.description, d.createdDate);
  }
  const d = await clients.apigatewayv2.send(new GetHttpDeploymentCommand({ ApiId: api.id, DeploymentId: id }));
  return deploymentSummaryOf(id, d.Description, d.CreatedDate);
}

/** What a stage serves, as its export with integrations. */
async function exportOf(clients: StageClients, api: ApiRef, stage: string): Promise<OpenApiDocument> {
  const body = api.kind === 'rest'
    ? (await clients.apigateway.send(new GetExportCommand({ restApiId: api.id, stageName: stage, exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/json' }))).body
    : (await clients.apigatewayv2.send(new ExportApiCommand({ ApiId: api.id, StageName: stage, Specification: v2ExportSpecification(api.kind), OutputType: 'JSON', IncludeExtensions: true }))).body;
  return JSON.parse(new TextDecoder().decode(body)) as OpenApiDocument;
}

export async function previewStagePromotion(clients: StageClients, apiRef: string, from: string, to: string, canaryPercent?: number): Promise<StagePromotionPreview> {
  const api = await resolveApi(clients, apiRef);
  const reader = { readStages: () => readStages(clients, api), deployment: (id: string) => deploymentSummary(clients, api, id), exportOf: (stage: string) => exportOf(clients, api, stage) };
  return previewStagePromotionWith(reader, api, from, to, canaryPercent, apiRef);
}
