// A WebSocket event's AWS/ApiGateway metrics (cloudwatch/websocket-metrics.ts) from how it ended:
// a 4XX API Gateway made itself (throttled, no route, refused by an authorizer, API key or model) is
// a ClientError; a 4XX/5XX the integration answered is an IntegrationError; a failure to get an
// answer (function error, timeout, an answer that is no response, a misconfigured authorizer) is an
// ExecutionError.
import type { WebSocketFault, WebSocketMetricsRecorder } from '../../cloudwatch/websocket-metrics.js';
import { detailedRoute, type V2Api } from '../../cloudwatch/apigatewayv2-cells.js';
import type { HttpStageRecord } from '../../store/httpapi-store.js';
import type { EventType } from './events.js';

/** How an event ended, as far as its metrics go. */
export interface EventEnding {
  status: number;
  /** The message API Gateway ended it with; absent when the integration's own answer did. */
  error?: string;
  /** The integration's latency (ms), when one ran (none for MOCK integrations). */
  latency?: number;
  /** The status a message route's integration answered with. */
  integrationStatus?: number;
  /** The key of the route that took the event (none when no route did: a made-up key grows no series). */
  route?: string;
}

export function faultOf(ending: EventEnding): WebSocketFault {
  if (ending.integrationStatus !== undefined && ending.integrationStatus >= 400) return 'integration';
  if (ending.status < 400) return undefined;
  // A $connect integration's refusal is its own answer, passed on as it is.
  if (ending.error === undefined) return 'integration';
  return ending.status < 500 ? 'client' : 'execution';
}

/** Records one event of a stage's connection; `context` is its requestContext. */
export function recordEvent(recorder: WebSocketMetricsRecorder, api: V2Api, stage: HttpStageRecord, context: Record<string, unknown>, ending: EventEnding): void {
  recorder.event(api, stage.stageName, detailedRoute(stage, ending.route), context.eventType as EventType, faultOf(ending), ending.latency);
}
