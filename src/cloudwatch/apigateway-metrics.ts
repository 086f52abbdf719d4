// AWS/ApiGateway metrics of REST API stages as API Gateway publishes them: Count, 4XXError and
// 5XXError (0 or 1 per request, so Average is the error rate), Latency and IntegrationLatency (ms),
// by ApiName and by ApiName+Stage. One Map lookup per request finds the cells of both sets.
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions } from './series-key.js';

export interface ApiStage {
  accountId: string;
  region: string;
  /** The API's id: two APIs may share a name (and then, as on AWS, their ApiName series). */
  id: string;
  name: string;
}

/** The cells every API Gateway request adds to, one per dimension set (HTTP APIs name the errors 4xx and 5xx). */
export interface RequestCells {
  count: StatCell[];
  clientErrors: StatCell[];
  serverErrors: StatCell[];
  latency: StatCell[];
  integrationLatency: StatCell[];
}

/** One request answered with `status`: 0 or 1 for each error, so Average is the error rate. */
export function addRequest(group: RequestCells, minute: number, status: number, latencyMs: number, integrationLatencyMs: number | undefined): void {
  const client = status >= 400 && status < 500 ? 1 : 0;
  const server = status >= 500 ? 1 : 0;
  for (let i = 0; i < group.count.length; i++) {
    group.count[i].add(minute, 1);
    group.clientErrors[i].add(minute, client);
    group.serverErrors[i].add(minute, server);
    group.latency[i].add(minute, latencyMs);
    if (integrationLatencyMs !== undefined) group.integrationLatency[i].add(minute, integrationLatencyMs);
  }
}

export class ApiGatewayMetricsRecorder {
  readonly #groups = new Map<string, RequestCells>();

  constructor(private readonly aggregator: MetricAggregator, private readonly now: () => number = Date.now) {}

  /** One request answered with `status` after `latencyMs`; `integrationLatencyMs` when it was measured. */
  request(api: ApiStage, stage: string, status: number, latencyMs: number, integrationLatencyMs?: number): void {
    const key = `${api.accountId}\0${api.region}\0${api.id}\0${stage}`;
    const group = this.#groups.get(key) ?? this.#addGroup(key, api, stage);
    const t = this.now();
    addRequest(group, t - (t % MINUTE_MS), status, latencyMs, integrationLatencyMs);
  }

  #addGroup(key: string, api: ApiStage, stage: string): RequestCells {
    const sets = [[{ Name: 'ApiName', Value: api.name }], [{ Name: 'ApiName', Value: api.name }, { Name: 'Stage', Value: stage }]];
    const cells = (metricName: string, unit: string) => sets.map((dims) => this.aggregator.cell(
      { accountId: api.accountId, region: api.region, namespace: 'AWS/ApiGateway', metricName, dimensions: canonicalDimensions(dims) }, unit));
    const group = {
      count: cells('Count', 'Count'),
      clientErrors: cells('4XXError', 'Count'),
      serverErrors: cells('5XXError', 'Count'),
      latency: cells('Latency', 'Milliseconds'),
      integrationLatency: cells('IntegrationLatency', 'Milliseconds'),
    };
    this.#groups.set(key, group);
    return group;
  }
}
