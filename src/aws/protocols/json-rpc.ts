// AWS JSON 1.0/1.1 protocol (CloudWatch Logs): every call is `POST /` naming its operation in
// `X-Amz-Target: <targetPrefix>.<Operation>`, with the input as a JSON body. The engine finds the
// operation in the model, parses and validates the input, calls the service's handler and writes
// the output, or the error as AWS does for JSON protocols: status, `x-amzn-ErrorType` and a body
// `{"__type": "<Code>", "message": "..."}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModel } from '../model.js';
import type { RequestContext } from '../request-context.js';
import { AwsError, awsError, type ServiceName, throttlingError } from '../../core/errors.js';
import { BodyBudgetExhaustedError } from '../body-budget.js';
import { readSignedBody, BodyTooLargeError, MalformedBodyError } from '../body.js';
import { fromJson, toJson, ShapeTypeError } from './json-shapes.js';
import { nullCharacterViolations, validateInput, validationMessage } from '../validate.js';
import { toAwsError, type OperationHandler, type RawRequest } from './rest-json.js';

export type { OperationHandler, HandlerTable, RawRequest } from './rest-json.js';

export interface JsonRpcOptions {
  /** Whose answer an unexpected failure gets (each service has its own error type for it). */
  service: ServiceName;
  /** Largest body accepted (bytes), and the error to answer beyond it. */
  maxBody: number;
  tooLarge(limit: number): AwsError;
  /** The service's answer to model constraint violations (AWS phrasing given). */
  invalid(message: string): AwsError;
  /** Operations handled without generic model validation (they validate themselves). */
  skipValidation?: ReadonlySet<string>;
  skipEnumFor?: ReadonlySet<string>;
  /** Member paths whose text may hold U+0000 (free text stored as bytes, e.g. log messages). */
  nullCharactersAllowedIn?: ReadonlySet<string>;
  /**
   * For services that also speak the query protocol (the model's awsQueryCompatible trait): errors
   * carry the query error code in `x-amzn-query-error: <Code>;<Sender|Receiver>`, and `__type`
   * names the error's shape, as SDKs expect of such services.
   */
  queryCompatible?: boolean;
  /**
   * Bodies nested deeper than `depth` (objects and arrays) answer `error()` before the model's
   * conversion walks them: a recursive shape (DynamoDB's AttributeValue) takes any depth, and
   * thousands of levels would overflow the stack.
   */
  maxJsonDepth?: { depth: number; error(): AwsError };
}

/** True when `value` nests objects and arrays deeper than `max` (walked without recursion). */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

export class JsonRpcService {
  readonly #targetPrefix: string;
  readonly #contentType: string;

  constructor(readonly model: ServiceModel, readonly handlers: Record<string, OperationHandler>, readonly options: JsonRpcOptions) {
    if (!model.metadata.targetPrefix) throw new Error(`model ${model.metadata.endpointPrefix} has no targetPrefix`);
    this.#targetPrefix = `${model.metadata.targetPrefix}.`;
    this.#contentType = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
  }

  /** True when the request names one of this service's operations (or at least its target prefix). */
  claims(req: IncomingMessage): boolean {
    const target = req.headers['x-amz-target'];
    return typeof target === 'string' && target.startsWith(this.#targetPrefix);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void> {
    const target = req.headers['x-amz-target'];
    const name = typeof target === 'string' && target.startsWith(this.#targetPrefix) ? target.slice(this.#targetPrefix.length) : undefined;
    const op = name !== undefined && Object.hasOwn(this.model.operations, name) ? this.model.operations[name] : undefined;
    if (req.method !== 'POST' || !op) {
      req.resume();
      writeJsonError(res, ctx, awsError('UnknownOperationException', '', { status: 400 }), this.#contentType);
      return;
    }
    try {
      let body: Buffer;
      try {
        body = await readSignedBody(req, this.options.maxBody, ctx.authenticate, ctx.bodyLease);
      } catch (e) {
        if (e instanceof BodyBudgetExhaustedError) throw throttlingError(this.options.service);
        if (e instanceof BodyTooLargeError) throw this.options.tooLarge(e.limit);
        if (e instanceof MalformedBodyError) throw awsError('SerializationException', e.message);
        throw e;
      }
      const input = op.input ? this.#parseInput(op.input.shape, body) : {};
      const nulls = nullCharacterViolations(input, this.options.nullCharactersAllowedIn);
      if (nulls.length) throw this.options.invalid(validationMessage(nulls));
      if (op.input && !this.options.skipValidation?.has(op.name)) {
        const violations = validateInput(this.model, op.input.shape, input, { skipEnumFor: this.options.skipEnumFor });
        if (violations.length) throw this.options.invalid(validationMessage(violations));
      }
      const handler = this.handlers[op.name];
      if (!handler) throw awsError('UnknownOperationException', `Operation ${op.name} is not supported by Stagecraft yet.`, { status: 501 });
      const raw: RawRequest = { method: 'POST', path: url.pathname, headers: req.headers, body };
      const output = (await handler(input, ctx, raw)) as Record<string, unknown> | undefined;
      const payload = Buffer.from(op.output && output ? JSON.stringify(toJson(this.model, op.output.shape, output)) : '{}');
      res.writeHead(200, {
        'x-amzn-RequestId': ctx.requestId,
        'Content-Type': this.#contentType,
        'Content-Length': payload.length,
      });
      res.end(payload);
    } catch (e) {
      const error = toAwsError(e, op.name, this.options.service);
      writeJsonError(res, ctx, error, this.#contentType, this.options.queryCompatible ? this.#queryCompatible(error, op) : undefined);
    }
  }

  /** `__type` naming the error's model shape, and the query code in a header. */
  #queryCompatible(error: AwsError, op: { errors?: { shape: string }[] }): WireOverrides {
    // Two shapes may share a code (ResourceNotFound, DashboardNotFoundError): the operation's own comes first.
    const listed = op.errors?.find((e) => this.model.shapes[e.shape]?.error?.code === error.code)?.shape;
    const named = this.model.shapes[error.code]?.error !== undefined;
    const shape = listed ?? (named ? error.code : Object.entries(this.model.shapes).find(([, s]) => s.error?.code === error.code)?.[0] ?? error.code);
    return { type: shape, headers: { 'x-amzn-query-error': `${error.code};${error.isUserFault ? 'Sender' : 'Receiver'}` } };
  }

  #parseInput(shapeName: string, body: Buffer): Record<string, unknown> {
    const text = body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw awsError('SerializationException', '');
    }
    const limit = this.options.maxJsonDepth;
    if (limit && nestsDeeperThan(parsed, limit.depth)) throw limit.error();
    try {
      return (fromJson(this.model, shapeName, parsed) ?? {}) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof ShapeTypeError) throw awsError('SerializationException', e.message);
      throw e;
    }
  }
}

/** How a query-compatible service names an error on the JSON wire. */
interface WireOverrides {
  type: string;
  headers: Record<string, string>;
}

/** AWS's JSON-protocol error: status, `x-amzn-ErrorType`, and `{"__type", "message"}` (message omitted when empty). */
export function writeJsonError(res: ServerResponse, ctx: Pick<RequestContext, 'requestId'>, error: AwsError, contentType = 'application/x-amz-json-1.1',
  wire?: WireOverrides): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const type = wire?.type ?? error.code;
  const body: Record<string, unknown> = { __type: type };
  if (error.message) body.message = error.message;
  Object.assign(body, error.extra);
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(error.status, {
    ...error.headers,
    ...wire?.headers,
    'x-amzn-RequestId': ctx.requestId,
    'x-amzn-ErrorType': type,
    'Content-Type': contentType,
    'Content-Length': payload.length,
  });
  res.end(payload);
}
