// Execution logs of WebSocket APIs: a stage whose defaultRouteSettings (or a route's routeSettings)
// set loggingLevel INFO or ERROR writes the steps of each event — the handshake ($connect), each
// message, $disconnect — to `API-Gateway-Execution-Logs_{apiId}/{stageName}`, with the lines REST
// APIs' execution logs use (execution-log.ts) and the WebSocket ones AWS adds ("WebSocket Request
// Route: [...]", "Client [...] connected to API [...] successfully."). dataTraceEnabled adds the
// message and integration bodies. Stages without a level (the default) pay two property reads per event.
import type { HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import type { AccessLogSink } from '../access-log.js';
import { executionLogGroupName, executionLogStreamName, StageExecutionLog } from '../execution-log.js';

/** One event's execution log: its lines go out when it ends. */
export class WebSocketEventLog extends StageExecutionLog {
  constructor(level: 'INFO' | 'ERROR', dataTrace: boolean, requestId: string, private readonly write: (lines: string[]) => void) {
    super({ level, dataTrace }, requestId);
  }

  /** Ends the event with its status and queues its lines (ERROR keeps only failed events'). */
  end(status: number, closing?: string): void {
    if (this.settings.level === 'INFO' || this.failed) {
      this.lines.push(`(${this.requestId}) Method completed with status: ${status}`);
      if (closing !== undefined && this.settings.level === 'INFO') this.lines.push(`(${this.requestId}) ${closing}`);
    }
    if (this.lines.length) this.write(this.lines);
  }
}

/** The level a route logs at on a stage: its own routeSettings' level, else the stage's default. */
export function routeLoggingLevel(stage: HttpStageRecord, routeKey: string): { level: 'INFO' | 'ERROR'; dataTrace: boolean } | undefined {
  const own = stage.routeSettings[routeKey];
  const level = own?.loggingLevel ?? stage.defaultRouteSettings.loggingLevel;
  if (level !== 'INFO' && level !== 'ERROR') return undefined;
  return { level, dataTrace: (own?.dataTraceEnabled ?? stage.defaultRouteSettings.dataTraceEnabled) === true };
}

export class WebSocketExecutionLogs {
  readonly #sink: AccessLogSink;

  constructor(sink: AccessLogSink) {
    this.#sink = sink;
  }

  /** Opens an event's log when its route logs on the stage (undefined: it does not), with its first lines. */
  open(api: HttpApiRecord, stage: HttpStageRecord, routeKey: string, requestId: string): WebSocketEventLog | undefined {
    const settings = routeLoggingLevel(stage, routeKey);
    if (!settings) return undefined;
    const group = executionLogGroupName(api.apiId, stage.stageName);
    const stream = executionLogStreamName(api.apiId, stage.stageName);
    const log = new WebSocketEventLog(settings.level, settings.dataTrace, requestId,
      (lines) => this.#sink.append(api.accountId, api.region, group, stream, lines));
    log.add(`Extended Request Id: ${requestId}`);
    log.add(`Starting execution for request: ${requestId}`);
    log.add(`WebSocket Request Route: [${routeKey}]`);
    return log;
  }
}
