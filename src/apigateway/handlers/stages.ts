// CreateStage, GetStage, GetStages, UpdateStage, DeleteStage, FlushStageCache.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { CanarySettings, Operations } from '../../aws/generated/apigateway.js';
import type { StageRecord } from '../../store/apigateway-store.js';
import { badRequest, conflict, deploymentNotFound, stageNotFound } from '../errors.js';
import { STAGE_VARIABLE_NAME, applyStagePatch, settleCacheCluster } from '../stage-patch.js';
import { stageView } from '../views.js';
import { requireApi, withApiLock, type Deps } from './context.js';
import { checkStageCertificates } from './client-certificates.js';

const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;

export function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name)) throw badRequest('Stage name only allows a-zA-Z0-9_-');
  if (name.length > 128) throw badRequest('Stage name must be at most 128 characters');
}

export function checkVariables(variables: Record<string, string> | undefined): void {
  for (const name of Object.keys(variables ?? {})) {
    if (!STAGE_VARIABLE_NAME.test(name)) throw badRequest(`Stage variable name ${name} is invalid. Names may contain only alphanumeric characters and underscores`);
  }
}

/** A canary as AWS stores it: its deployment, a traffic share, and no stage cache unless asked. */
export function canaryOf(settings: Omit<CanarySettings, 'deploymentId'>, deploymentId: string): CanarySettings {
  const canary: CanarySettings = { deploymentId, percentTraffic: settings.percentTraffic ?? 0.0, useStageCache: settings.useStageCache ?? false };
  if (settings.stageVariableOverrides && Object.keys(settings.stageVariableOverrides).length) canary.stageVariableOverrides = settings.stageVariableOverrides;
  return canary;
}

export function stageHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateStage(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        checkStageName(input.stageName);
        checkVariables(input.variables);
        if (!(await deps.store.getDeployment(input.restApiId, input.deploymentId))) throw deploymentNotFound();
        if (await deps.store.getStage(input.restApiId, input.stageName)) throw conflict('Stage already exists');
        const now = deps.now();
        const stage: StageRecord = {
          stageName: input.stageName,
          deploymentId: input.deploymentId,
          cacheClusterEnabled: input.cacheClusterEnabled ?? false,
          methodSettings: {},
          tracingEnabled: input.tracingEnabled ?? false,
          createdDate: now,
          lastUpdatedDate: now,
        };
        if (input.description !== undefined) stage.description = input.description;
        if (input.cacheClusterSize !== undefined) stage.cacheClusterSize = input.cacheClusterSize;
        settleCacheCluster(stage);
        if (input.variables && Object.keys(input.variables).length) stage.variables = input.variables;
        if (input.documentationVersion !== undefined) stage.documentationVersion = input.documentationVersion;
        if (input.tags && Object.keys(input.tags).length) stage.tags = input.tags;
        if (input.canarySettings) {
          const canaryDeployment = input.canarySettings.deploymentId ?? input.deploymentId;
          if (!(await deps.store.getDeployment(input.restApiId, canaryDeployment))) throw badRequest('Deployment id does not exist');
          stage.canarySettings = canaryOf(input.canarySettings, canaryDeployment);
        }
        if (!(await deps.store.createStage(input.restApiId, stage))) throw conflict('Stage already exists');
        return stageView(stage);
      });
    },

    async GetStage(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const stage = await deps.store.getStage(input.restApiId, input.stageName);
      if (!stage) throw stageNotFound();
      return stageView(stage);
    },

    async GetStages(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const stages = await deps.store.listStages(input.restApiId);
      const selected = input.deploymentId === undefined ? stages : stages.filter((s) => s.deploymentId === input.deploymentId);
      return { item: selected.map(stageView) };
    },

    async UpdateStage(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const current = await deps.store.getStage(input.restApiId, input.stageName);
        if (!current) throw stageNotFound();
        const deployments = new Set((await deps.store.listDeployments(input.restApiId)).map((d) => d.id));
        await checkStageCertificates(deps, ctx, input.patchOperations);
        const stage = structuredClone(current);
        for (const op of input.patchOperations ?? []) applyStagePatch(stage, op, { deploymentExists: (id) => deployments.has(id) });
        if (stage.variables && !Object.keys(stage.variables).length) delete stage.variables;
        settleCacheCluster(stage);
        stage.lastUpdatedDate = Math.max(deps.now(), current.lastUpdatedDate);
        await deps.store.updateStage(input.restApiId, stage);
        return stageView(stage);
      });
    },

    async DeleteStage(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        if (!(await deps.store.deleteStage(input.restApiId, input.stageName))) throw stageNotFound();
      });
      // A stage made again under this name starts with an empty cache.
      await deps.flushStageCache?.(input.restApiId, input.stageName);
    },

    /** Empties the stage's cache of method responses, on every node of a cluster. */
    async FlushStageCache(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      if (!(await deps.store.getStage(input.restApiId, input.stageName))) throw stageNotFound();
      await deps.flushStageCache?.(input.restApiId, input.stageName);
    },
  };
}
