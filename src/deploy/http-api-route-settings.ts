// An HttpApi's DefaultRouteSettings and RouteSettings (with its events' RouteSettings) on its stage,
// once the routes they name exist: UpdateStage for what differs, DeleteRouteSettings for route keys
// the template no longer sets.
import { DeleteRouteSettingsCommand, GetStageCommand, UpdateStageCommand, type RouteSettings } from '@aws-sdk/client-apigatewayv2';
import type { DeployedHttpApi, HttpApiContext } from './http-apis.js';
import type { HttpApiSpec, RouteSettingsSpec } from './http-api-spec.js';

/** The members deploy manages, compared as the stage answers them (DetailedMetricsEnabled defaults to false). */
const same = (have: RouteSettings | undefined, want: RouteSettingsSpec | undefined): boolean =>
  (have?.ThrottlingBurstLimit ?? null) === (want?.ThrottlingBurstLimit ?? null)
  && (have?.ThrottlingRateLimit ?? null) === (want?.ThrottlingRateLimit ?? null)
  && (have?.DetailedMetricsEnabled ?? false) === (want?.DetailedMetricsEnabled ?? false);

export async function syncRouteSettings(ctx: HttpApiContext, spec: HttpApiSpec, api: DeployedHttpApi): Promise<void> {
  const client = ctx.apigatewayv2;
  const id = spec.logicalId;
  const stage = await ctx.step(id, `reading stage ${spec.stageName}`, () => client.send(new GetStageCommand({ ApiId: api.id, StageName: spec.stageName })));
  const have = stage.RouteSettings ?? {};
  const changed = Object.entries(spec.routeSettings).filter(([key, want]) => !same(have[key], want));
  const stale = Object.keys(have).filter((key) => !(key in spec.routeSettings));
  const defaultChanged = !same(stage.DefaultRouteSettings, spec.defaultRouteSettings);
  if (!changed.length && !stale.length && !defaultChanged) {
    if (spec.defaultRouteSettings || Object.keys(spec.routeSettings).length) ctx.progress.report({ subject: id, kind: 'unchanged', message: `route settings of stage ${spec.stageName}` });
    return;
  }
  if (changed.length || defaultChanged) {
    await ctx.step(id, `updating the route settings of stage ${spec.stageName}`, () => client.send(new UpdateStageCommand({
      ApiId: api.id, StageName: spec.stageName, DefaultRouteSettings: spec.defaultRouteSettings ?? {}, RouteSettings: Object.fromEntries(changed),
    })));
  }
  for (const key of stale) {
    await ctx.step(id, `removing the route settings of ${key}`, () => client.send(new DeleteRouteSettingsCommand({ ApiId: api.id, StageName: spec.stageName, RouteKey: key })));
  }
  const what = [...(defaultChanged ? ['default'] : []), ...changed.map(([key]) => key), ...stale.map((key) => `${key} (removed)`)];
  ctx.progress.report({ subject: id, kind: 'updated', message: `route settings of stage ${spec.stageName}: ${what.join(', ')}` });
}
