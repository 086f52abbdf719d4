// The AWS/ApiGateway series of HTTP and WebSocket APIs (API Gateway v2): by ApiId, by ApiId+Stage,
// and — for routes whose stage turns detailed metrics on — by ApiId+Method+Resource+Stage, the set
// AWS's metric tables name for route-level metrics. One Map lookup finds every cell a request adds to.
import type { MetricAggregator, StatCell } from './aggregator.js';
import { canonicalDimensions, type Dimension } from './series-key.js';

/** The API a request or message reached (an HttpApiRecord is one). */
export interface V2Api {
  accountId: string;
  region: string;
  apiId: string;
}

/** The route settings of a stage (an HttpStageRecord has them). */
export interface RouteSettingsOf {
  defaultRouteSettings: { detailedMetricsEnabled: boolean };
  routeSettings: Record<string, { detailedMetricsEnabled?: boolean }>;
}

/** The route key when the stage publishes its metrics (the route's own setting, else the stage default), else undefined. */
export function detailedRoute(stage: RouteSettingsOf, routeKey: string | undefined): string | undefined {
  if (routeKey === undefined) return undefined;
  const on = stage.routeSettings[routeKey]?.detailedMetricsEnabled ?? stage.defaultRouteSettings.detailedMetricsEnabled;
  return on ? routeKey : undefined;
}

/**
 * A route key as the Method and Resource dimensions: `GET /pets/{id}` is GET and /pets/{id}; a key
 * with no method (`$default`, WebSocket route keys) is both (AWS does not document these values).
 */
export function routeDimensions(routeKey: string): { method: string; resource: string } {
  const space = routeKey.indexOf(' ');
  return space < 0 ? { method: routeKey, resource: routeKey } : { method: routeKey.slice(0, space), resource: routeKey.slice(space + 1) };
}

/** Makes a metric's cells, one per dimension set, in the order ApiId, ApiId+Stage[, route]. */
export type CellsOf = (metricName: string, unit: string) => StatCell[];

/** Groups of cells by API, stage and (detailed) route, made on first use with `build`. */
export class StageCells<G> {
  readonly #groups = new Map<string, G>();

  constructor(private readonly aggregator: MetricAggregator, private readonly build: (cells: CellsOf) => G) {}

  get(api: V2Api, stage: string, route: string | undefined): G {
    const key = `${api.accountId}\0${api.region}\0${api.apiId}\0${stage}\0${route ?? ''}`;
    return this.#groups.get(key) ?? this.#add(key, api, stage, route);
  }

  #add(key: string, api: V2Api, stage: string, route: string | undefined): G {
    const sets: Dimension[][] = [[{ Name: 'ApiId', Value: api.apiId }], [{ Name: 'ApiId', Value: api.apiId }, { Name: 'Stage', Value: stage }]];
    if (route !== undefined) {
      const { method, resource } = routeDimensions(route);
      sets.push([...sets[1], { Name: 'Method', Value: method }, { Name: 'Resource', Value: resource }]);
    }
    const group = this.build((metricName, unit) => sets.map((dims) => this.aggregator.cell(
      { accountId: api.accountId, region: api.region, namespace: 'AWS/ApiGateway', metricName, dimensions: canonicalDimensions(dims) }, unit)));
    this.#groups.set(key, group);
    return group;
  }
}
