// AWS REST-JSON protocol (Lambda, API Gateway): routes a request to an operation by HTTP method
// and URI template, binds path/query/header/body members into a typed input, validates it
// against the model, calls the service's handler and writes the output or error as AWS does.
import { EVENT_STREAM_CONTENT_TYPE, encodeEventStream, isAsyncIterable, writeEventStream } from './event-stream.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModel, Operation, Shape } from '../model.js';
import type { RequestContext } from '../request-context.js';
import { AwsError, awsError, internalError, isAwsError, StorageLimitError, storageLimitError, type ServiceName, throttlingError } from '../../core/errors.js';
import { BodyBudgetExhaustedError } from '../body-budget.js';
import { readSignedBody, BodyTooLargeError, MalformedBodyError, RequestAbortedError } from '../body.js';
import { fromJson, toJson, outOfRange, ShapeTypeError } from './json-shapes.js';
import { nullCharacterViolations, validateInput, validationMessage } from '../validate.js';
import { logger } from '../../core/logger.js';

// Handlers are typed per operation; the generic engine sees them as untyped functions.
export type OperationHandler = (input: any, ctx: RequestContext, raw: RawRequest) => unknown;
export type HandlerTable<Ops> = {
  [K in keyof Ops]?: (input: Ops[K] extends { input: infer I } ? I : never, ctx: RequestContext, raw: RawRequest) =>
    Promise<Ops[K] extends { output: infer O } ? O : never> | (Ops[K] extends { output: infer O } ? O : never);
};

export interface RawRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface RestJsonOptions {
  /** Whose answer an unexpected failure gets (each service has its own error type for it). */
  service: ServiceName;
  /** Largest body accepted per operation (bytes), and the error to answer beyond it. */
  maxBody(operation: string): number;
  tooLarge(operation: string, limit: number): AwsError;
  /** The service's answer to a body that is not valid JSON or has mistyped members. */
  /** `cause`: set when the JSON parsed but a value has the wrong type for its shape. */
  malformedBody(detail: string, cause?: ShapeTypeError): AwsError;
  /** The service's answer to model constraint violations (AWS phrasing given). */
  invalid(message: string): AwsError;
  skipEnumFor?: ReadonlySet<string>;
  /** Operations handled without generic model validation (they validate themselves). */
  skipValidation?: ReadonlySet<string>;
}

interface CompiledRoute {
  op: Operation;
  method: string;
  segments: { literal?: string; label?: string; greedy?: boolean }[];
  staticQuery: [string, string][];
  literalCount: number;
}

export interface RouteMatch {
  route: CompiledRoute;
  labels: Record<string, string>;
}

function compile(op: Operation): CompiledRoute {
  const [pathPart, queryPart] = op.http.requestUri.split('?');
  const segments = pathSegments(pathPart).map((seg) => {
    const m = /^\{([^}+]+)(\+?)\}$/.exec(seg);
    return m ? { label: m[1], greedy: m[2] === '+' } : { literal: seg };
  });
  const staticQuery = queryPart ? [...new URLSearchParams(queryPart).entries()] : [];
  return { op, method: op.http.method, segments, staticQuery, literalCount: segments.filter((s) => s.literal !== undefined).length };
}

export class RestJsonService {
  readonly #routes: CompiledRoute[];

  constructor(readonly model: ServiceModel, readonly handlers: Record<string, OperationHandler>, readonly options: RestJsonOptions) {
    this.#routes = Object.values(model.operations).map(compile)
      .sort((a, b) => b.literalCount - a.literalCount || b.staticQuery.length - a.staticQuery.length);
  }

  /** Finds the operation for a method and path (path without query string, still percent-encoded). */
  match(method: string, rawPath: string, query: URLSearchParams): RouteMatch | undefined {
    const parts = pathSegments(rawPath);
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      if (route.staticQuery.some(([k, v]) => query.get(k) !== v && !(v === '' && query.has(k)))) continue;
      const labels = matchSegments(route.segments, parts);
      if (labels) return { route, labels };
    }
    return undefined;
  }

  /** True when some operation of this service has this path (any method). */
  knowsPath(rawPath: string): boolean {
    const parts = pathSegments(rawPath);
    return this.#routes.some((r) => matchSegments(r.segments, parts) !== undefined);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void> {
    const match = this.match(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!match) {
      req.resume();
      writeError(res, ctx, awsError('UnknownOperationException', `Unknown operation ${req.method} ${url.pathname}`));
      return;
    }
    const op = match.route.op;
    try {
      const limit = this.options.maxBody(op.name);
      let body: Buffer;
      try {
        body = await readSignedBody(req, limit, ctx.authenticate, ctx.bodyLease);
      } catch (e) {
        if (e instanceof BodyBudgetExhaustedError) throw throttlingError(this.options.service);
        if (e instanceof BodyTooLargeError) throw this.options.tooLarge(op.name, limit);
        if (e instanceof MalformedBodyError) throw this.options.malformedBody(e.message);
        throw e;
      }
      const input = this.#bindInput(op, match.labels, url.searchParams, req.headers, body);
      const nulls = nullCharacterViolations(input);
      if (nulls.length) throw this.options.invalid(validationMessage(nulls));
      if (op.input && !this.options.skipValidation?.has(op.name)) {
        const violations = validateInput(this.model, op.input.shape, input, { skipEnumFor: this.options.skipEnumFor });
        if (violations.length) throw this.options.invalid(validationMessage(violations));
      }
      const handler = this.handlers[op.name];
      if (!handler) throw awsError('UnknownOperationException', `Operation ${op.name} is not supported by Stagecraft yet.`, { status: 501 });
      const output = await handler(input, ctx, { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      await this.#writeOutput(res, ctx, op, output as Record<string, unknown> | undefined);
    } catch (e) {
      writeError(res, ctx, toAwsError(e, op.name, this.options.service));
    }
  }

  #bindInput(op: Operation, labels: Record<string, string>, query: URLSearchParams, headers: IncomingMessage['headers'], body: Buffer): Record<string, unknown> {
    if (!op.input) return {};
    const shape = this.model.shapes[op.input.shape];
    const input: Record<string, unknown> = {};
    const members = shape.members ?? {};
    const hasBodyMembers = Object.entries(members).some(([name, ref]) => !ref.location && name !== shape.payload);
    if (shape.payload) {
      const payloadShape = this.model.shapes[members[shape.payload].shape];
      if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
        if (body.length) input[shape.payload] = payloadShape.type === 'blob' ? body : body.toString('utf8');
      } else if (body.length) {
        input[shape.payload] = this.#parseJsonShape(members[shape.payload].shape, body);
      }
    } else if (hasBodyMembers && body.length) {
      Object.assign(input, this.#parseJsonShape(op.input.shape, body));
    }
    for (const [name, ref] of Object.entries(members)) {
      const memberShape = this.model.shapes[ref.shape];
      const wireName = ref.locationName ?? name;
      switch (ref.location) {
        case 'uri':
          // Numeric labels (a layer's VersionNumber) are numbers, as they are in a query string.
          if (labels[wireName] !== undefined) input[name] = memberShape.type === 'string' ? labels[wireName] : coerceScalar(memberShape, labels[wireName], wireName, this.options);
          break;
        case 'querystring':
          if (memberShape.type === 'map') {
            const map: Record<string, string> = {};
            for (const [k, v] of query) map[k] = v;
            input[name] = map;
          } else if (memberShape.type === 'list') {
            const all = query.getAll(wireName);
            if (all.length) input[name] = all;
          } else if (query.has(wireName)) {
            input[name] = coerceScalar(memberShape, query.get(wireName)!, wireName, this.options);
          }
          break;
        case 'header': {
          const v = headers[wireName.toLowerCase()];
          if (typeof v === 'string') input[name] = ref.jsonvalue ? v : coerceScalar(memberShape, v, wireName, this.options);
          break;
        }
        case 'headers': {
          const prefix = wireName.toLowerCase();
          const map: Record<string, string> = {};
          for (const [k, v] of Object.entries(headers)) if (k.startsWith(prefix) && typeof v === 'string') map[k.slice(prefix.length)] = v;
          if (Object.keys(map).length) input[name] = map;
          break;
        }
      }
    }
    return input;
  }

  #parseJsonShape(shapeName: string, body: Buffer): unknown {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw this.options.malformedBody((e as Error).message);
    }
    try {
      return fromJson(this.model, shapeName, parsed);
    } catch (e) {
      if (e instanceof ShapeTypeError) throw this.options.malformedBody(e.message, e);
      throw e;
    }
  }

  #writeOutput(res: ServerResponse, ctx: RequestContext, op: Operation, output: Record<string, unknown> | undefined): Promise<void> | void {
    let status = op.http.responseCode ?? 200;
    const headers: Record<string, string | number> = { 'x-amzn-RequestId': ctx.requestId };
    let payload: Buffer = Buffer.alloc(0);
    if (op.output && output) {
      const shape = this.model.shapes[op.output.shape];
      const members = shape.members ?? {};
      for (const [name, ref] of Object.entries(members)) {
        const value = output[name];
        if (value === undefined || value === null) continue;
        if (ref.location === 'statusCode') status = value as number;
        else if (ref.location === 'header') headers[ref.locationName ?? name] = value instanceof Date ? value.toUTCString() : String(value);
        else if (ref.location === 'headers') for (const [k, v] of Object.entries(value as Record<string, string>)) headers[(ref.locationName ?? '') + k] = v;
      }
      if (shape.payload) {
        const value = output[shape.payload];
        const payloadShape = this.model.shapes[members[shape.payload].shape];
        const isEventStream = (payloadShape as { eventstream?: boolean }).eventstream === true;
        if (isEventStream && isAsyncIterable(value)) {
          // Sent as the events come (chunked): Lambda's InvokeWithResponseStream.
          headers['Content-Type'] = EVENT_STREAM_CONTENT_TYPE;
          res.writeHead(status, headers);
          return writeEventStream(res, this.model, members[shape.payload].shape, value as AsyncIterable<Record<string, unknown>>);
        }
        if (isEventStream && Array.isArray(value)) {
          payload = encodeEventStream(this.model, members[shape.payload].shape, value as Record<string, unknown>[]);
          headers['Content-Type'] = EVENT_STREAM_CONTENT_TYPE;
        } else if (Buffer.isBuffer(value)) payload = value;
        else if (typeof value === 'string') payload = Buffer.from(value);
        else if (value !== undefined && payloadShape.type === 'structure') payload = Buffer.from(JSON.stringify(toJson(this.model, members[shape.payload].shape, value)));
        // A Content-Type header member (GetExport's contentType) wins over the default.
        headers['Content-Type'] ??= (output.ContentType as string | undefined) ?? 'application/json';
      } else {
        payload = Buffer.from(JSON.stringify(toJson(this.model, op.output.shape, output)));
        headers['Content-Type'] = 'application/json';
      }
    } else if (op.output) {
      payload = Buffer.from('{}');
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = payload.length;
    res.writeHead(status, headers);
    res.end(payload);
  }
}

/** Path segments, ignoring one trailing slash (clients send `/functions/` for `/functions`). */
function pathSegments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function matchSegments(segments: CompiledRoute['segments'], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.greedy) {
      const rest = parts.slice(i).join('/');
      if (!rest) return undefined;
      labels[seg.label!] = safeDecode(rest);
      return labels;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return undefined;
    } else {
      if (!part) return undefined;
      labels[seg.label!] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? labels : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function coerceScalar(shape: Shape, raw: string, name: string, options: RestJsonOptions): unknown {
  switch (shape.type) {
    case 'integer': case 'long': {
      if (!/^-?\d+$/.test(raw.trim())) throw options.malformedBody(`Expected an integer for '${name}', got '${raw}'`);
      const n = Number(raw);
      const range = outOfRange(shape.type, n);
      if (range) throw options.malformedBody(range);
      return n;
    }
    case 'double': case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw options.malformedBody(`Expected a number for '${name}', got '${raw}'`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw options.malformedBody(`Expected true or false for '${name}', got '${raw}'`);
      return raw === 'true';
    case 'timestamp': {
      const date = new Date(Number.isNaN(Number(raw)) ? raw : Number(raw) * 1000);
      if (raw.trim() === '' || Number.isNaN(date.getTime())) throw options.malformedBody(`Expected a timestamp for '${name}', got '${raw}'`);
      return date;
    }
    default:
      return raw;
  }
}

/** An AwsError as is; input the store cannot hold as the service's client error; anything else is logged and answered as `service` answers its own failures. */
export function toAwsError(e: unknown, operation: string, service: ServiceName): AwsError {
  if (isAwsError(e)) return e;
  if (e instanceof StorageLimitError) return storageLimitError(service, e);
  if (e instanceof RequestAbortedError) logger.debug('client went away mid-request', { operation, error: e.message });
  else logger.error('unexpected error', { service, operation, error: e instanceof Error ? e.stack : String(e) });
  return internalError(service);
}

/** AWS's REST-JSON error: status, `x-amzn-ErrorType`, and a body with the message (and Lambda's `Type`). */
export function writeError(res: ServerResponse, ctx: Pick<RequestContext, 'requestId'>, error: AwsError): void {
  const body: Record<string, unknown> = {};
  if (error.type) body.Type = error.type;
  body[error.messageKey] = error.message;
  Object.assign(body, error.extra);
  const payload = error.emptyBody ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(error.status, {
    ...error.headers,
    'x-amzn-RequestId': ctx.requestId,
    'x-amzn-ErrorType': error.code,
    'Content-Type': 'application/json',
    'Content-Length': payload.length,
  });
  res.end(payload);
}
