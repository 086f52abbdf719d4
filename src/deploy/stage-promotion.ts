// Promotion between API stages (dev → prod) and rollback, against the server: finds the API (REST,
// HTTP or WebSocket) by id or name, reads its stages, applies the plan (stage-promotion-plan.ts) and keeps
// the target stage's earlier deployments in its tag `stagecraft:previous`.
import {
  CreateStageCommand, GetStagesCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateStageCommand,
  type APIGatewayClient, type Op,
} from '@aws-sdk/client-api-gateway';
import {
  CreateStageCommand as CreateHttpStageCommand, GetStagesCommand as GetHttpStagesCommand, GetTagsCommand as GetHttpTagsCommand,
  TagResourceCommand as TagHttpResourceCommand, UntagResourceCommand as UntagHttpResourceCommand, UpdateStageCommand as UpdateHttpStageCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { findRestApis } from './apis.js';
import {
  formatStageHistory, parseStageHistory, planStagePromotion, planStageRollback, StagePromotionError,
  type ApiKind, type StagePromotionPlan, type StageView,
} from './stage-promotion-plan.js';
import { allApis } from './http-apis.js';

export const STAGE_HISTORY_TAG = 'stagecraft:previous';

export interface ApiRef {
  kind: ApiKind;
  id: string;
  name: string;
}

export interface StageClients {
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  region: string;
}

export interface StagePromotionResult {
  api: ApiRef;
  from: string;
  to: string;
  action: StagePromotionPlan['action'];
  /** The deployment promoted (the one --from serves). */
  deploymentId: string;
  /** What --to served before. */
  before?: string;
  percentTraffic?: number;
}

export interface StageRollbackResult {
  api: ApiRef;
  stage: string;
  action: 'cancel-canary' | 'rollback';
  before?: string;
  deploymentId?: string;
  /** Deployments still recorded, newest last. */
  remaining: string[];
}

async function findV2Apis(apigatewayv2: ApiGatewayV2Client): Promise<ApiRef[]> {
  return (await allApis(apigatewayv2)).map((a) => ({ kind: a.ProtocolType === 'WEBSOCKET' ? 'websocket' : 'http', id: a.ApiId!, name: a.Name! }));
}

const KIND_NAMES: Record<ApiKind, string> = { rest: 'REST', http: 'HTTP', websocket: 'WebSocket' };

/** The REST, HTTP or WebSocket API with this id, else the only one with this name. */
export async function resolveApi(clients: StageClients, ref: string): Promise<ApiRef> {
  const rest: ApiRef[] = (await findRestApis(clients.apigateway)).map((a) => ({ kind: 'rest', id: a.id!, name: a.name ?? '' }));
  const all = [...rest, ...(await findV2Apis(clients.apigatewayv2))];
  const byId = all.find((a) => a.id === ref);
  if (byId) return byId;
  const named = all.filter((a) => a.name === ref);
  if (named.length === 1) return named[0];
  if (!named.length) throw new StagePromotionError(`there is no REST, HTTP or WebSocket API named ${ref}`, 'Check the name or id with `stagecraft status` or `aws apigateway get-rest-apis`.', 'NotFoundException');
  throw new StagePromotionError(
    `${named.length} APIs are named ${ref} (${named.map((a) => `${a.id}, ${KIND_NAMES[a.kind]}`).join('; ')})`,
    `Name one by its id: --api ${named[0].id}`, 'AmbiguousApiName');
}

function stageArn(region: string, api: ApiRef, stage: string): string {
  return `arn:aws:apigateway:${region}::/${api.kind === 'rest' ? 'restapis' : 'apis'}/${api.id}/stages/${encodeURIComponent(stage)}`;
}

export async function readStages(clients: StageClients, api: ApiRef): Promise<StageView[]> {
  if (api.kind === 'rest') {
    const stages = (await clients.apigateway.send(new GetStagesCommand({ restApiId: api.id }))).item ?? [];
    return stages.map((s) => ({
      name: s.stageName!,
      deploymentId: s.deploymentId,
      canary: s.canarySettings ? { deploymentId: s.canarySettings.deploymentId, percentTraffic: s.canarySettings.percentTraffic, stageVariableOverrides: s.canarySettings.stageVariableOverrides } : undefined,
    }));
  }
  const stages = (await clients.apigatewayv2.send(new GetHttpStagesCommand({ ApiId: api.id }))).Items ?? [];
  return stages.map((s) => ({ name: s.StageName!, deploymentId: s.DeploymentId, autoDeploy: s.AutoDeploy ?? false }));
}

async function readHistory(clients: StageClients, api: ApiRef, stage: string): Promise<string[]> {
  const arn = stageArn(clients.region, api, stage);
  const tags = api.kind === 'rest'
    ? (await clients.apigateway.send(new GetTagsCommand({ resourceArn: arn }))).tags
    : (await clients.apigatewayv2.send(new GetHttpTagsCommand({ ResourceArn: arn }))).Tags;
  return parseStageHistory(tags?.[STAGE_HISTORY_TAG]);
}

async function writeHistory(clients: StageClients, api: ApiRef, stage: string, history: string[]): Promise<void> {
  const arn = stageArn(clients.region, api, stage);
  const value = formatStageHistory(history);
  if (api.kind === 'rest') {
    if (value) await clients.apigateway.send(new TagResourceCommand({ resourceArn: arn, tags: { [STAGE_HISTORY_TAG]: value } }));
    else await clients.apigateway.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [STAGE_HISTORY_TAG] }));
  } else if (value) await clients.apigatewayv2.send(new TagHttpResourceCommand({ ResourceArn: arn, Tags: { [STAGE_HISTORY_TAG]: value } }));
  else await clients.apigatewayv2.send(new UntagHttpResourceCommand({ ResourceArn: arn, TagKeys: [STAGE_HISTORY_TAG] }));
}

/** Applies UpdateStage operations; an HTTP or WebSocket API stage only ever changes its deployment. */
async function updateStage(clients: StageClients, api: ApiRef, stage: string, operations: { op: Op; path: string; value?: string }[], deploymentId: string): Promise<void> {
  if (api.kind === 'rest') await clients.apigateway.send(new UpdateStageCommand({ restApiId: api.id, stageName: stage, patchOperations: operations }));
  else await clients.apigatewayv2.send(new UpdateHttpStageCommand({ ApiId: api.id, StageName: stage, DeploymentId: deploymentId }));
}

export async function promoteStage(clients: StageClients, apiRef: string, from: string, to: string, canaryPercent?: number): Promise<StagePromotionResult> {
  const api = await resolveApi(clients, apiRef);
  const plan = planStagePromotion({ stages: await readStages(clients, api), from, to, canaryPercent, kind: api.kind, api: apiRef });
  const result: StagePromotionResult = { api, from, to, action: plan.action, deploymentId: plan.deploymentId };
  if (plan.action === 'create') {
    // A new stage gets no variables: on AWS each stage keeps its own, and --from's may name its backends.
    if (api.kind === 'rest') await clients.apigateway.send(new CreateStageCommand({ restApiId: api.id, stageName: to, deploymentId: plan.deploymentId }));
    else await clients.apigatewayv2.send(new CreateHttpStageCommand({ ApiId: api.id, StageName: to, DeploymentId: plan.deploymentId }));
    return result;
  }
  if (plan.action === 'unchanged') return result;
  result.before = plan.before;
  if (plan.action === 'canary') result.percentTraffic = plan.percentTraffic;
  await updateStage(clients, api, to, plan.operations, plan.deploymentId);
  if (plan.action !== 'canary' && plan.before) await writeHistory(clients, api, to, [...await readHistory(clients, api, to), plan.before]);
  return result;
}

export async function rollbackStage(clients: StageClients, apiRef: string, stageName: string, to?: string): Promise<StageRollbackResult> {
  const api = await resolveApi(clients, apiRef);
  const stages = await readStages(clients, api);
  const stage = stages.find((s) => s.name === stageName);
  if (!stage) throw new StagePromotionError(`API ${apiRef} has no stage ${stageName}`, `Its stages: ${stages.map((s) => s.name).join(', ') || 'none'}.`, 'NotFoundException');
  if (stage.autoDeploy) throw new StagePromotionError(`stage ${stageName} has automatic deployment on: it serves the API's latest state and can't be pointed back`, undefined, 'BadRequestException');
  const history = await readHistory(clients, api, stageName);
  const plan = planStageRollback(stage, history, to, apiRef);
  if (plan.action === 'cancel-canary') {
    await updateStage(clients, api, stageName, plan.operations, stage.deploymentId ?? '');
    return { api, stage: stageName, action: plan.action, before: stage.deploymentId, deploymentId: stage.deploymentId, remaining: history };
  }
  await updateStage(clients, api, stageName, plan.operations, plan.deploymentId);
  // An explicit --to is a move of its own: what the stage served is recorded, as promote records it.
  const remaining = to === undefined ? plan.remaining : [...history, ...(plan.before ? [plan.before] : [])];
  await writeHistory(clients, api, stageName, remaining);
  return { api, stage: stageName, action: plan.action, before: plan.before, deploymentId: plan.deploymentId, remaining };
}
