// CreateDeployment, GetDeployment, GetDeployments, UpdateDeployment, DeleteDeployment. A deployment freezes the
// API's routes and integrations; naming a stage points that stage at it.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiItemPut } from '../../store/httpapi-store.js';
import { badRequest } from '../../apigateway/errors.js';
import { deploymentView } from '../views.js';
import { itemNotFound, page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { deployedStage, newDeployment, snapshotAfter } from '../deploy.js';

export function deploymentHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateDeployment: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = await requireApi(deps, ctx, input.ApiId);
      const stage = input.StageName === undefined ? undefined : await deps.store.getItem(input.ApiId, 'stage', input.StageName);
      if (input.StageName !== undefined && !stage) throw itemNotFound('stage', input.StageName);
      if (stage?.autoDeploy) throw badRequest(`Stage ${stage.stageName} is configured for automatic deployment; it cannot be deployed explicitly`);
      const snapshot = await snapshotAfter(deps, input.ApiId, [], []);
      if (api.protocolType === 'WEBSOCKET' && !snapshot.routes.length) throw badRequest('At least one route is required before deploying the Api.');
      const now = deps.now();
      const deployment = newDeployment(now, snapshot, false, input.Description);
      const writes: HttpApiItemPut[] = [{ kind: 'deployment', id: deployment.deploymentId, value: deployment }];
      if (stage) writes.push({ kind: 'stage', id: stage.stageName, value: deployedStage(stage, deployment, now) });
      await deps.store.writeItems(input.ApiId, writes);
      return deploymentView(deployment);
    }),

    async GetDeployment(input, ctx) {
      return deploymentView(await requireItem(deps, ctx, input.ApiId, 'deployment', input.DeploymentId));
    },

    async GetDeployments(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'deployment'), input, deploymentView);
    },

    UpdateDeployment: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const deployment = { ...(await requireItem(deps, ctx, input.ApiId, 'deployment', input.DeploymentId)) };
      if (input.Description !== undefined) deployment.description = input.Description;
      await deps.store.writeItems(input.ApiId, [{ kind: 'deployment', id: deployment.deploymentId, value: deployment }]);
      return deploymentView(deployment);
    }),

    DeleteDeployment: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireItem(deps, ctx, input.ApiId, 'deployment', input.DeploymentId);
      const serving = (await deps.store.listItems(input.ApiId, 'stage')).some((s) => s.deploymentId === input.DeploymentId);
      if (serving) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
      await deps.store.writeItems(input.ApiId, [], [{ kind: 'deployment', id: input.DeploymentId }]);
    }),
  };
}
