// Stage access logging (UpdateStage's /accessLogSettings): after each request through a stage
// whose destination is a CloudWatch Logs log group ARN, one line rendered from the stage's
// format — AWS's $context variables for access logging, "-" where a value is absent — is queued
// on the LogSink (never waited for). Lines go to one stream per stage in that log group.
//
// The format is compiled once per settings object (the stage's settings are replaced, never
// mutated, when the stage changes), so stages without access logging cost one property check.
import { createHash } from 'node:crypto';
import type { AccessLogSettings } from '../aws/generated/apigateway.js';
import type { InvocationContext, InvocationResponse } from './context.js';
import { requestContext } from './proxy-event.js';

/** Where access log lines go: the CloudWatch Logs sink (src/logs/log-sink.ts). */
export interface AccessLogSink {
  append(accountId: string, region: string, logGroupName: string, logStreamName: string, lines: string[]): void;
}

/** A CloudWatch Logs log group ARN (the `:*` form the console shows included). */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:*]+)(?::\*)?$/;

export function parseLogGroupArn(arn: string): { region: string; accountId: string; logGroupName: string } | undefined {
  const m = LOG_GROUP_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], logGroupName: m[3] } : undefined;
}

/** The access log stream of a stage: a 32-hex-digit name, stable for the stage. */
export const accessLogStreamName = (apiId: string, stageName: string): string => createHash('md5').update(`${apiId}/${stageName}`).digest('hex');

type Part = string | readonly string[];

/** `$context.a.b` (or `${context.a.b}`) as paths; literal text stays as written. */
const VARIABLE = /\$\{context\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\}|\$context\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)/g;

/** The format split into literal text and variable paths. */
export function compileFormat(format: string): readonly Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of format.matchAll(VARIABLE)) {
    if (m.index > last) parts.push(format.slice(last, m.index));
    parts.push((m[1] ?? m[2]).split('.'));
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push(format.slice(last));
  return parts;
}

/** What the request ended with, beyond the context: the answer and when it was written. */
export interface AccessLogOutcome {
  response: InvocationResponse;
  endedAt: number;
}

/** $context as access logging sees it: the request context plus the outcome. */
export function accessLogContext(ctx: InvocationContext, outcome: AccessLogOutcome): Record<string, unknown> {
  const context = requestContext(ctx);
  const error = ctx.error;
  const integrationLatency = ctx.integrationLatency;
  const integrationStatus = ctx.integrationStatus;
  context.status = outcome.response.status;
  context.responseLength = outcome.response.body.length;
  context.responseLatency = outcome.endedAt - ctx.startedAt;
  context.integrationLatency = integrationLatency;
  context.integrationStatus = integrationStatus;
  context.integration = { latency: integrationLatency, status: integrationStatus };
  context.error = error
    ? { message: error.bodyMessage, messageString: JSON.stringify(error.bodyMessage), responseType: error.type, validationErrorString: error.validationErrorString || undefined }
    : {};
  context.stage = ctx.stageName;
  if (ctx.routeKey !== undefined) context.routeKey = ctx.routeKey;
  if (ctx.httpAuthorizer) context.authorizer = ctx.httpAuthorizer;
  return context;
}

/** A line of the format with the context's values; absent, null and empty values are "-", as in AWS's access logs. */
export function renderAccessLog(parts: readonly Part[], context: Record<string, unknown>): string {
  let line = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      line += part;
      continue;
    }
    let v: unknown = context;
    for (const key of part) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    line += v === undefined || v === null || v === '' ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  // One request, one log event: a format cannot break a line in two.
  return line.replace(/[\r\n]+/g, ' ');
}

interface CompiledSettings {
  parts: readonly Part[];
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
}

export class AccessLogger {
  readonly #sink: AccessLogSink;
  /** By the stage's settings object; null when they do not name a log group and a format. */
  readonly #compiled = new WeakMap<object, CompiledSettings | null>();

  constructor(sink: AccessLogSink) {
    this.#sink = sink;
  }

  /** Queues the request's line when its stage logs access; never throws, never waits. */
  record(ctx: InvocationContext, response: InvocationResponse): void {
    const settings = ctx.resolved?.stage.accessLogSettings;
    if (settings) this.recordContext(settings, ctx.apiId, ctx.stageName, () => accessLogContext(ctx, { response, endedAt: Date.now() }));
  }

  /** Queues a line made from `context()` (a WebSocket event's $context) when the settings name a log group and a format. */
  recordContext(settings: Readonly<AccessLogSettings>, apiId: string, stageName: string, context: () => Record<string, unknown>): void {
    const compiled = this.#compile(settings, apiId, stageName);
    if (!compiled) return;
    this.#sink.append(compiled.accountId, compiled.region, compiled.logGroupName, compiled.logStreamName, [renderAccessLog(compiled.parts, context())]);
  }

  /** Compiled once per stage: each stage's settings are their own object. */
  #compile(settings: Readonly<AccessLogSettings>, apiId: string, stageName: string): CompiledSettings | null {
    let compiled = this.#compiled.get(settings);
    if (compiled === undefined) {
      const group = settings.destinationArn ? parseLogGroupArn(settings.destinationArn) : undefined;
      compiled = group && settings.format ? { parts: compileFormat(settings.format), ...group, logStreamName: accessLogStreamName(apiId, stageName) } : null;
      this.#compiled.set(settings, compiled);
    }
    return compiled;
  }
}
