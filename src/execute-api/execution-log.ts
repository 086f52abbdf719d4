// API Gateway's execution logs. A stage whose method settings set a logging level
// (UpdateStage /*/*/logging/loglevel or /{resourcePath}/{httpMethod}/logging/loglevel: INFO or
// ERROR; logging/dataTrace for full request and response data) writes the steps of each request
// through a method to the log group `API-Gateway-Execution-Logs_{apiId}/{stageName}`, each line
// prefixed with the request id in parentheses, as AWS writes them. INFO keeps every step, ERROR only
// the failures of requests that failed. Lines are queued and written in the background, like access
// log lines; stages without a level pay one WeakMap lookup per request.
import { createHash } from 'node:crypto';
import type { MethodSetting } from '../aws/generated/apigateway.js';
import type { MethodRecord, SnapshotResource } from '../apigateway/stage-runtime.js';
import type { AccessLogSink } from './access-log.js';
import type { ExecutionLog, InvocationContext, InvocationResponse } from './context.js';
import { methodSettingKey } from './method-throttle.js';

/** API Gateway limits execution log events to 1,024 bytes and truncates longer ones (request and response bodies). */
const MAX_EVENT_BYTES = 1024;
const TRUNCATED = ' [TRUNCATED]';

function limited(line: string): string {
  if (line.length <= MAX_EVENT_BYTES / 4 || Buffer.byteLength(line) <= MAX_EVENT_BYTES) return line;
  // Cut on a character boundary at or under the limit.
  return Buffer.from(line).subarray(0, MAX_EVENT_BYTES).toString('utf8').replace(/\uFFFD$/, '') + TRUNCATED;
}

export interface Settings {
  level: 'INFO' | 'ERROR';
  dataTrace: boolean;
}

export const executionLogGroupName = (apiId: string, stageName: string): string => `API-Gateway-Execution-Logs_${apiId}/${stageName}`;

/** The stage's one execution log stream. */
export const executionLogStreamName = (apiId: string, stageName: string): string => createHash('md5').update(`${apiId}/${stageName}/execution`).digest('hex');

/** A map as the execution log shows it: {a=1, b=2}. */
export const mapText = (o: Record<string, string> | null | undefined): string => `{${Object.entries(o ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
const headerText = (headers: Record<string, string | string[]>): string =>
  mapText(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])));

/** One request's log at a stage with execution logging. */
export class StageExecutionLog implements ExecutionLog {
  readonly lines: string[] = [];
  failed = false;

  constructor(readonly settings: Settings, protected readonly requestId: string) {}

  add(text: string, kind: 'info' | 'data' | 'error' = 'info'): void {
    if (kind === 'error') this.failed = true;
    else if (this.settings.level === 'ERROR' || (kind === 'data' && !this.settings.dataTrace)) return;
    this.lines.push(limited(`(${this.requestId}) ${text}`));
  }
}

export class ExecutionLogs {
  readonly #sink: AccessLogSink;
  /** Per stage (its methodSettings object) and method: the settings, or null when the method does not log. */
  readonly #settings = new WeakMap<object, WeakMap<MethodRecord, Settings | null> | null>();

  constructor(sink: AccessLogSink) {
    this.#sink = sink;
  }

  /** Opens the request's execution log when its method logs (after routing), with the request's steps so far. */
  open(ctx: InvocationContext): void {
    if (ctx.log) return;
    const settings = this.#settingsFor(ctx.resolved!.stage.methodSettings, ctx.resource!, ctx.method!);
    if (!settings) return;
    const log = new StageExecutionLog(settings, ctx.requestId);
    ctx.log = log;
    const r = ctx.request;
    log.add(`Extended Request Id: ${ctx.extendedRequestId}`);
    log.add(`Starting execution for request: ${ctx.requestId}`);
    log.add(`HTTP Method: ${r.method}, Resource Path: ${r.path}`);
    log.add(`Method request path: ${mapText(ctx.pathParameters)}`, 'data');
    log.add(`Method request query string: ${mapText(r.query)}`, 'data');
    log.add(`Method request headers: ${mapText(r.headers)}`, 'data');
    log.add(`Method request body before transformations: ${r.body.toString('utf8')}`, 'data');
  }

  /** Ends the request's execution log with its answer and queues its lines; never throws, never waits. */
  close(ctx: InvocationContext, response: InvocationResponse): void {
    const log = ctx.log;
    if (!(log instanceof StageExecutionLog)) return;
    if (!ctx.error) {
      if (!response.stream) log.add(`Method response body after transformations: ${response.body.toString('utf8')}`, 'data');
      log.add(`Method response headers: ${headerText(response.headers)}`, 'data');
      log.add('Successfully completed execution');
    }
    if (log.settings.level === 'INFO' || log.failed) log.lines.push(`(${ctx.requestId}) Method completed with status: ${response.status}`);
    if (!log.lines.length) return;
    const api = ctx.resolved!.api;
    this.#sink.append(api.accountId, api.region, executionLogGroupName(ctx.apiId, ctx.stageName), executionLogStreamName(ctx.apiId, ctx.stageName), log.lines);
  }

  #settingsFor(stageSettings: Readonly<Record<string, MethodSetting>>, resource: SnapshotResource, method: MethodRecord): Settings | null {
    let perMethod = this.#settings.get(stageSettings);
    if (perMethod === undefined) {
      const any = Object.values(stageSettings).some((s) => s.loggingLevel === 'INFO' || s.loggingLevel === 'ERROR');
      perMethod = any ? new WeakMap() : null;
      this.#settings.set(stageSettings, perMethod);
    }
    if (!perMethod) return null;
    let settings = perMethod.get(method);
    if (settings === undefined) {
      const s = stageSettings[methodSettingKey(resource.path, method.httpMethod)] ?? stageSettings['*/*'];
      const level = s?.loggingLevel;
      settings = level === 'INFO' || level === 'ERROR' ? { level, dataTrace: s?.dataTraceEnabled === true } : null;
      perMethod.set(method, settings);
    }
    return settings;
  }
}
