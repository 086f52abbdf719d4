// AWS/ApiGateway metrics of WebSocket API stages as API Gateway publishes them: ConnectCount (each
// connection request), MessageCount (messages from the client and to it: route replies and
// @connections posts), ClientError (a 4XX API Gateway answered before any integration ran),
// IntegrationError (the integration answered 4XX/5XX), ExecutionError (calling the integration
// failed: function error, timeout, no valid answer) — the errors 0 or 1 per event, so Average is
// the rate — and IntegrationLatency (ms; none for MOCK integrations and @connections calls),
// by ApiId, ApiId+Stage and, with detailed metrics, the route (apigatewayv2-cells.ts).
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { StageCells, type V2Api } from './apigatewayv2-cells.js';

/** Whose fault an event's failure was; undefined when it succeeded. */
export type WebSocketFault = 'client' | 'integration' | 'execution' | undefined;

interface WebSocketCells {
  connects: StatCell[];
  messages: StatCell[];
  clientErrors: StatCell[];
  integrationErrors: StatCell[];
  executionErrors: StatCell[];
  integrationLatency: StatCell[];
}

export class WebSocketMetricsRecorder {
  readonly #cells: StageCells<WebSocketCells>;

  constructor(aggregator: MetricAggregator, private readonly now: () => number = Date.now) {
    this.#cells = new StageCells(aggregator, (cells) => ({
      connects: cells('ConnectCount', 'Count'),
      messages: cells('MessageCount', 'Count'),
      clientErrors: cells('ClientError', 'Count'),
      integrationErrors: cells('IntegrationError', 'Count'),
      executionErrors: cells('ExecutionError', 'Count'),
      integrationLatency: cells('IntegrationLatency', 'Milliseconds'),
    }));
  }

  /** One event (a connection request, a client's message or a disconnect); `route` only when the stage has detailed metrics for it. */
  event(api: V2Api, stage: string, route: string | undefined, eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', fault: WebSocketFault, integrationLatencyMs: number | undefined): void {
    const group = this.#cells.get(api, stage, route);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    const client = fault === 'client' ? 1 : 0;
    const integration = fault === 'integration' ? 1 : 0;
    const execution = fault === 'execution' ? 1 : 0;
    for (let i = 0; i < group.connects.length; i++) {
      if (eventType === 'CONNECT') group.connects[i].add(minute, 1);
      else if (eventType === 'MESSAGE') group.messages[i].add(minute, 1);
      group.clientErrors[i].add(minute, client);
      group.integrationErrors[i].add(minute, integration);
      group.executionErrors[i].add(minute, execution);
      if (integrationLatencyMs !== undefined) group.integrationLatency[i].add(minute, integrationLatencyMs);
    }
  }

  /** One message sent to a client (a route's reply, an error message, or an @connections post, which has no route). */
  sent(api: V2Api, stage: string, route: string | undefined): void {
    const cells = this.#cells.get(api, stage, route).messages;
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    for (const c of cells) c.add(minute, 1);
  }
}
