// AWS/ApiGateway metrics of HTTP API stages as API Gateway publishes them: Count, 4xx and 5xx (0 or
// 1 per request, so Average is the error rate), Latency and IntegrationLatency (ms) and
// DataProcessed (bytes), by ApiId, ApiId+Stage and, with detailed metrics, the route (apigatewayv2-cells.ts).
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { StageCells, type V2Api } from './apigatewayv2-cells.js';
import { addRequest, type RequestCells } from './apigateway-metrics.js';

interface HttpCells extends RequestCells {
  dataProcessed: StatCell[];
}

export class HttpApiMetricsRecorder {
  readonly #cells: StageCells<HttpCells>;

  constructor(aggregator: MetricAggregator, private readonly now: () => number = Date.now) {
    this.#cells = new StageCells(aggregator, (cells) => ({
      count: cells('Count', 'Count'),
      clientErrors: cells('4xx', 'Count'),
      serverErrors: cells('5xx', 'Count'),
      latency: cells('Latency', 'Milliseconds'),
      integrationLatency: cells('IntegrationLatency', 'Milliseconds'),
      dataProcessed: cells('DataProcessed', 'Bytes'),
    }));
  }

  /**
   * One request answered with `status` after `latencyMs`, `bytes` in and out; `route` only when the
   * stage has detailed metrics for it (detailedRoute); `integrationLatencyMs` when an integration ran.
   */
  request(api: V2Api, stage: string, route: string | undefined, status: number, latencyMs: number, integrationLatencyMs: number | undefined, bytes: number): void {
    const group = this.#cells.get(api, stage, route);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    addRequest(group, minute, status, latencyMs, integrationLatencyMs);
    for (const c of group.dataProcessed) c.add(minute, bytes);
  }
}
