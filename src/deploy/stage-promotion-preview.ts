// `stagecraft promote --api … --dry-run`: what promoting stage --from to stage --to would change,
// planned as the promotion plans it, with the two deployments and a diff of the routes they
// serve (from both stages' OpenAPI exports). Nothing is written.
import { GetDeploymentCommand, GetExportCommand } from '@aws-sdk/client-api-gateway';
import { ExportApiCommand, GetDeploymentCommand as GetHttpDeploymentCommand } from '@aws-sdk/client-apigatewayv2';
import { diffRoutes, type OpenApiDocument, type RouteDiff } from './route-diff.js';
import { planStagePromotion, type StagePromotionPlan, type StageView } from './stage-promotion-plan.js';
import { readStages, resolveApi, type ApiRef, type StageClients } from './stage-promotion.js';

export interface DeploymentSummary {
  id: string;
  description: string;
  /** ISO 8601; null when the server gave none. */
  createdDate: string | null;
}

/** The `--dry-run --json` answer for an API stage (documented in docs/cli.md). */
export interface StagePromotionPreview {
  dryRun: true;
  kind: 'api-stage';
  api: ApiRef;
  from: string;
  to: string;
  action: StagePromotionPlan['action'];
  /** The deployment --to serves now (null when --to doesn't exist). */
  current: DeploymentSummary | null;
  /** The deployment --from serves: what --to would serve (or send the canary share to). */
  target: DeploymentSummary;
  /** With --canary: the share of --to's traffic the target would take. */
  percentTraffic?: number;
  /** What --to would serve compared with what it serves now. */
  routes: RouteDiff;
  /**
   * kept: --to keeps its own stage variables; none: a new stage starts without any; overridden:
   * finishing the canary writes its overrides (names in `overrides`) into the stage's variables.
   */
  stageVariables: { effect: 'kept' | 'none' | 'overridden'; overrides: string[] };
  changes: boolean;
}

async function deploymentSummary(clients: StageClients, api: ApiRef, id: string): Promise<DeploymentSummary> {
  if (api.kind === 'rest') {
    const d = await clients.apigateway.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: id }));
    return { id, description: d.description ?? '', createdDate: d.createdDate?.toISOString() ?? null };
  }
  const d = await clients.apigatewayv2.send(new GetHttpDeploymentCommand({ ApiId: api.id, DeploymentId: id }));
  return { id, description: d.Description ?? '', createdDate: d.CreatedDate?.toISOString() ?? null };
}

/** What a stage serves, as its OpenAPI export with integrations. */
async function exportOf(clients: StageClients, api: ApiRef, stage: string): Promise<OpenApiDocument> {
  const body = api.kind === 'rest'
    ? (await clients.apigateway.send(new GetExportCommand({ restApiId: api.id, stageName: stage, exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/json' }))).body
    : (await clients.apigatewayv2.send(new ExportApiCommand({ ApiId: api.id, StageName: stage, Specification: 'OAS30', OutputType: 'JSON', IncludeExtensions: true }))).body;
  return JSON.parse(new TextDecoder().decode(body)) as OpenApiDocument;
}

function stageVariablesEffect(plan: StagePromotionPlan, target: StageView | undefined): StagePromotionPreview['stageVariables'] {
  if (plan.action === 'create') return { effect: 'none', overrides: [] };
  const overrides = plan.action === 'finish-canary' ? Object.keys(target?.canary?.stageVariableOverrides ?? {}).sort((a, b) => a.localeCompare(b)) : [];
  return { effect: overrides.length ? 'overridden' : 'kept', overrides };
}

export async function previewStagePromotion(clients: StageClients, apiRef: string, from: string, to: string, canaryPercent?: number): Promise<StagePromotionPreview> {
  const api = await resolveApi(clients, apiRef);
  const stages = await readStages(clients, api);
  const plan = planStagePromotion({ stages, from, to, canaryPercent, http: api.kind === 'http', api: apiRef });
  const targetStage = stages.find((s) => s.name === to);
  const currentId = targetStage?.deploymentId;
  const [target, current, after, before] = await Promise.all([
    deploymentSummary(clients, api, plan.deploymentId),
    currentId ? deploymentSummary(clients, api, currentId) : null,
    exportOf(clients, api, from),
    currentId ? exportOf(clients, api, to) : null,
  ]);
  return {
    dryRun: true, kind: 'api-stage', api, from, to, action: plan.action, current, target,
    ...(plan.action === 'canary' ? { percentTraffic: plan.percentTraffic } : {}),
    routes: diffRoutes(before, after),
    stageVariables: stageVariablesEffect(plan, targetStage),
    changes: plan.action !== 'unchanged',
  };
}
