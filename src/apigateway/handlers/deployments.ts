// CreateDeployment (optionally creating or updating a stage, or adding a canary to one),
// GetDeployment (embed=apisummary), GetDeployments, UpdateDeployment, DeleteDeployment.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import type { DeploymentRecord, StageRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, deploymentNotFound, invalidPatchPath } from '../errors.js';
import { pathSegments } from '../patch.js';
import { settleCacheCluster } from '../stage-patch.js';
import { apiSummary, takeSnapshot } from '../snapshot.js';
import { deploymentView } from '../views.js';
import { listPage, requireApi, withApiLock, type Deps } from './context.js';
import { canaryOf, checkStageName, checkVariables } from './stages.js';

const invalidContent = (detail: string) => badRequest(`Invalid deployment content specified.${detail}`);

export function deploymentHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateDeployment(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const api = await requireApi(deps, ctx, input.restApiId);
        const stageName = input.stageName;
        if (input.canarySettings && !stageName) {
          throw invalidContent(`Non null and non empty stageName must be provided for canary deployment. Provided value is ${stageName ?? 'null'}`);
        }
        if (stageName !== undefined) checkStageName(stageName);
        checkVariables(input.variables);
        const existing = stageName ? await deps.store.getStage(api.id, stageName) : undefined;
        if (input.canarySettings && !existing) {
          throw invalidContent(`Stage ${stageName} must already be created before making a canary release deployment`);
        }
        const snapshot = await takeSnapshot(deps.store, api);
        const known = new Set((await deps.store.listDeployments(api.id)).map((d) => d.id));
        let id = newShortId();
        while (known.has(id)) id = newShortId();
        const now = deps.now();
        const deployment: DeploymentRecord = { id, createdDate: now, snapshot };
        if (input.description !== undefined) deployment.description = input.description;

        let stage: StageRecord | undefined;
        if (stageName) {
          stage = existing
            ? structuredClone(existing)
            : { stageName, deploymentId: id, cacheClusterEnabled: false, methodSettings: {}, tracingEnabled: false, createdDate: now, lastUpdatedDate: now };
          if (input.canarySettings) {
            stage.canarySettings = canaryOf(input.canarySettings, id);
          } else {
            stage.deploymentId = id;
            if (input.variables && Object.keys(input.variables).length) stage.variables = { ...stage.variables, ...input.variables };
            if (input.stageDescription !== undefined && !existing) stage.description = input.stageDescription;
            if (input.cacheClusterEnabled !== undefined) stage.cacheClusterEnabled = input.cacheClusterEnabled;
            if (input.cacheClusterSize !== undefined) stage.cacheClusterSize = input.cacheClusterSize;
            if (input.tracingEnabled !== undefined) stage.tracingEnabled = input.tracingEnabled;
            settleCacheCluster(stage);
          }
          stage.lastUpdatedDate = Math.max(now, stage.lastUpdatedDate);
        }
        await deps.store.createDeployment(api.id, deployment, stage);
        return deploymentView(deployment);
      });
    },

    async GetDeployment(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const deployment = await deps.store.getDeployment(input.restApiId, input.deploymentId);
      if (!deployment) throw deploymentNotFound();
      const view = deploymentView(deployment);
      if (input.embed?.some((e) => e.toLowerCase() === 'apisummary')) view.apiSummary = apiSummary(deployment.snapshot);
      return view;
    },

    async GetDeployments(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return listPage(await deps.store.listDeployments(input.restApiId), input, deploymentView);
    },

    async UpdateDeployment(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const deployment = await deps.store.getDeployment(input.restApiId, input.deploymentId);
        if (!deployment) throw deploymentNotFound();
        let description = deployment.description;
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          if (segments?.length !== 1 || segments[0] !== 'description') throw invalidPatchPath(op.path);
          if (op.op === 'remove') description = undefined;
          else if (op.op === 'replace' || op.op === 'add') description = op.value || undefined;
          else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        }
        await deps.store.updateDeploymentDescription(input.restApiId, deployment.id, description);
        return deploymentView({ ...deployment, description });
      });
    },

    async DeleteDeployment(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const deployment = await deps.store.getDeployment(input.restApiId, input.deploymentId);
        if (!deployment) throw deploymentNotFound();
        const stages = await deps.store.listStages(input.restApiId);
        if (stages.some((s) => s.deploymentId === deployment.id || s.canarySettings?.deploymentId === deployment.id)) {
          throw badRequest('Active stages pointing to this deployment must be moved or deleted');
        }
        await deps.store.deleteDeployment(input.restApiId, deployment.id);
      });
    },
  };
}
