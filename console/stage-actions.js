// API stage promotion, rollback and their preview for REST, HTTP and WebSocket APIs, as `stagecraft promote
// --api` and `stagecraft rollback --api` do them (src/deploy/stage-promotion.ts), through the
// console's client (api.js). The plans and the route diff are the CLI's own modules, compiled and
// served beside these files by the server (src/server/console.ts), so both decide the same way and
// keep the same history: the stage's tag stagecraft:previous (deployment ids, newest last).
import { canaryPromotionOps, formatStageHistory, parseStageHistory, planStagePromotion, planStageRollback } from './stage-promotion-plan.js';
import { deploymentSummaryOf, previewStagePromotionWith, v2ExportSpecification } from './stage-preview-result.js';

export const STAGE_HISTORY_TAG = 'stagecraft:previous';

/** An API as the stage actions name it: { kind: 'rest' | 'http' | 'websocket', id, name }. */
function stageArn(region, api, stage) {
  return `arn:aws:apigateway:${region}::/${api.kind === 'rest' ? 'restapis' : 'apis'}/${api.id}/stages/${encodeURIComponent(stage)}`;
}

/** The stages as the plans read them (GetStages items of either API kind). */
export async function readStages(client, api) {
  if (api.kind === 'rest') {
    return (await client.getStages(api.id)).map((s) => ({
      name: s.stageName,
      deploymentId: s.deploymentId,
      canary: s.canarySettings ? { deploymentId: s.canarySettings.deploymentId, percentTraffic: s.canarySettings.percentTraffic, stageVariableOverrides: s.canarySettings.stageVariableOverrides } : undefined,
    }));
  }
  return (await client.getV2Stages(api.id)).map((s) => ({ name: s.stageName, deploymentId: s.deploymentId, autoDeploy: s.autoDeploy === true }));
}

async function readHistory(client, api, stage) {
  const arn = stageArn(await client.effectiveRegion(), api, stage);
  const tags = api.kind === 'rest' ? await client.getRestTags(arn) : await client.getV2Tags(arn);
  return parseStageHistory(tags[STAGE_HISTORY_TAG]);
}

async function writeHistory(client, api, stage, history) {
  const arn = stageArn(await client.effectiveRegion(), api, stage);
  const value = formatStageHistory(history);
  if (api.kind === 'rest') {
    if (value) await client.tagRestResource(arn, { [STAGE_HISTORY_TAG]: value });
    else await client.untagRestResource(arn, [STAGE_HISTORY_TAG]);
  } else if (value) await client.tagV2Resource(arn, { [STAGE_HISTORY_TAG]: value });
  else await client.untagV2Resource(arn, [STAGE_HISTORY_TAG]);
}

/** UpdateStage: the plan's operations on a REST stage; an HTTP or WebSocket API stage only ever changes its deployment. */
async function updateStage(client, api, stage, operations, deploymentId) {
  if (api.kind === 'rest') await client.updateStage(api.id, stage, operations);
  else await client.updateV2Stage(api.id, stage, deploymentId);
}

/** Stage `to` serves what stage `from` serves (or, with `canaryPercent`, a REST canary of it). */
export async function promoteApiStage(client, api, from, to, canaryPercent) {
  const plan = planStagePromotion({ stages: await readStages(client, api), from, to, canaryPercent, kind: api.kind, api: api.name });
  const result = { api, from, to, action: plan.action, deploymentId: plan.deploymentId, before: plan.before, ...(plan.action === 'canary' ? { percentTraffic: plan.percentTraffic } : {}) };
  if (plan.action === 'create') {
    // A new stage gets no variables: each stage keeps its own, as the CLI does it.
    if (api.kind === 'rest') await client.createStage(api.id, to, plan.deploymentId);
    else await client.createV2Stage(api.id, to, plan.deploymentId);
    return result;
  }
  if (plan.action === 'unchanged') return result;
  await updateStage(client, api, to, plan.operations, plan.deploymentId);
  if (plan.action !== 'canary' && plan.before) await writeHistory(client, api, to, [...await readHistory(client, api, to), plan.before]);
  return result;
}

async function findStage(client, api, stageName) {
  const stage = (await readStages(client, api)).find((s) => s.name === stageName);
  if (!stage) throw Object.assign(new Error(`API ${api.name} has no stage ${stageName}`), { type: 'NotFoundException', status: 404, hint: 'Reload the page to see its stages.' });
  return stage;
}

/**
 * Promotes a REST stage's canary as AWS's console does (one UpdateStage: the canary's deployment
 * and variable overrides become the stage's, the canary goes); the deployment the stage served is
 * recorded, as `stagecraft promote --api` records it when it finishes a canary.
 */
export async function promoteStageCanary(client, api, stageName) {
  const stage = await findStage(client, api, stageName);
  const patchOperations = canaryPromotionOps(stage);
  const after = await client.updateStage(api.id, stageName, patchOperations);
  if (stage.deploymentId && after.deploymentId !== stage.deploymentId) await writeHistory(client, api, stageName, [...await readHistory(client, api, stageName), stage.deploymentId]);
  return { api, stage: stageName, before: stage.deploymentId, after: after.deploymentId, patchOperations };
}

/** A running canary is cancelled; otherwise the stage goes back to the deployment it served before. */
export async function rollbackApiStage(client, api, stageName) {
  const stage = await findStage(client, api, stageName);
  if (stage.autoDeploy) {
    throw Object.assign(new Error(`stage ${stageName} has automatic deployment on: it serves the API's latest state and can't be pointed back`), { type: 'BadRequestException' });
  }
  const history = await readHistory(client, api, stageName);
  const plan = planStageRollback(stage, history, undefined, api.name);
  if (plan.action === 'cancel-canary') {
    await updateStage(client, api, stageName, plan.operations, stage.deploymentId ?? '');
    return { api, stage: stageName, action: plan.action, before: stage.deploymentId, deploymentId: stage.deploymentId, remaining: history };
  }
  await updateStage(client, api, stageName, plan.operations, plan.deploymentId);
  await writeHistory(client, api, stageName, plan.remaining);
  return { api, stage: stageName, action: plan.action, before: plan.before, deploymentId: plan.deploymentId, remaining: plan.remaining };
}

async function deploymentSummary(client, api, id) {
  const d = api.kind === 'rest' ? await client.getDeployment(api.id, id) : await client.getV2Deployment(api.id, id);
  return deploymentSummaryOf(id, d.description, d.createdDate);
}

async function exportOf(client, api, stage) {
  return JSON.parse(api.kind === 'rest' ? await client.getExport(api.id, stage, 'integrations') : await client.exportV2Api(api.id, stage, v2ExportSpecification(api.kind)));
}

/** What promoteApiStage would change, in the shape of `stagecraft promote --api --dry-run --json`. */
export function previewApiStagePromotion(client, api, from, to, canaryPercent) {
  const reader = { readStages: () => readStages(client, api), deployment: (id) => deploymentSummary(client, api, id), exportOf: (stage) => exportOf(client, api, stage) };
  return previewStagePromotionWith(reader, api, from, to, canaryPercent);
}
