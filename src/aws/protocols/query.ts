// AWS query protocol (STS): `Action=<Operation>&Version=<apiVersion>&...` in a form body or the
// query string; members flattened as `Name`, `List.member.N`, `Map.entry.N.key`/`.value`. Output
// is XML `<OpResponse><OpResult>...</OpResult><ResponseMetadata>...`, errors an `<ErrorResponse>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModel, Operation } from '../model.js';
import type { RequestContext } from '../request-context.js';
import { AwsError, awsError, type ServiceName, throttlingError } from '../../core/errors.js';
import { BodyBudgetExhaustedError } from '../body-budget.js';
import { readSignedBody, BodyTooLargeError, MalformedBodyError } from '../body.js';
import { nullCharacterViolations, validateInput, validationMessage } from '../validate.js';
import { toAwsError, type OperationHandler, type RawRequest } from './rest-json.js';

export type { OperationHandler, HandlerTable } from './rest-json.js';

const MAX_BODY = 1024 * 1024;

export interface QueryOptions {
  /** Shapes whose enum the service checks itself, with its own error. */
  skipEnumFor?: ReadonlySet<string>;
}

export class QueryService {
  readonly #namespace: string;

  constructor(readonly model: ServiceModel, readonly handlers: Record<string, OperationHandler>, readonly service: ServiceName,
    readonly options: QueryOptions = {}) {
    this.#namespace = (model.metadata as { xmlNamespace?: string }).xmlNamespace ?? '';
  }

  /** For unsigned requests: the action and this API's version are in the query string. */
  claims(url: URL): boolean {
    const version = url.searchParams.get('Version');
    return url.searchParams.has('Action') && (version === null || version === this.model.metadata.apiVersion);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void> {
    let opName = url.searchParams.get('Action') ?? '';
    try {
      let body: Buffer;
      try {
        body = await readSignedBody(req, MAX_BODY, ctx.authenticate, ctx.bodyLease);
      } catch (e) {
        if (e instanceof BodyBudgetExhaustedError) throw throttlingError(this.service);
        if (e instanceof BodyTooLargeError) throw awsError('RequestEntityTooLargeException', `Request must be smaller than ${e.limit} bytes.`);
        if (e instanceof MalformedBodyError) throw awsError('ValidationError', e.message);
        throw e;
      }
      // A Map, not URLSearchParams: its set/get scan every pair, quadratic for a body of many
      // members. The body's values win over the query string's, the first of the query string's duplicates and the last of the body's win, as before.
      const params = new Map<string, string>();
      for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
      const contentType = String(req.headers['content-type'] ?? '');
      if (body.length && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
      }
      opName = params.get('Action') ?? '';
      const op = Object.hasOwn(this.model.operations, opName) ? this.model.operations[opName] : undefined;
      if (!op) throw awsError('InvalidAction', `Could not find operation ${opName} for version ${params.get('Version') ?? this.model.metadata.apiVersion}`);
      const input = op.input ? this.#bind(op.input.shape, params, '') as Record<string, unknown> : {};
      if (op.input) {
        const violations = [...nullCharacterViolations(input), ...validateInput(this.model, op.input.shape, input, { skipEnumFor: this.options.skipEnumFor })];
        if (violations.length) throw awsError('ValidationError', validationMessage(violations));
      }
      const handler = this.handlers[op.name];
      if (!handler) throw awsError('InvalidAction', `Operation ${op.name} is not supported by Stagecraft yet.`, { status: 501 });
      const raw: RawRequest = { method: req.method ?? 'POST', path: url.pathname, headers: req.headers, body };
      const output = (await handler(input, ctx, raw)) as Record<string, unknown> | undefined;
      this.#writeOutput(res, ctx, op, output ?? {});
    } catch (e) {
      writeXmlError(res, ctx, toAwsError(e, opName, this.service), this.#namespace);
    }
  }

  #bind(shapeName: string, params: ReadonlyMap<string, string>, prefix: string): unknown {
    const shape = this.model.shapes[shapeName];
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const key = (prefix ? `${prefix}.` : '') + (ref.locationName ?? name);
          const value = this.#bind(ref.shape, params, key);
          if (value !== undefined) out[name] = value;
        }
        return prefix && Object.keys(out).length === 0 ? undefined : out;
      }
      case 'list': {
        const items: unknown[] = [];
        for (let i = 1; ; i++) {
          const item = this.#bind(shape.member!.shape, params, `${prefix}.member.${i}`);
          if (item === undefined) break;
          items.push(item);
        }
        return items.length ? items : params.has(prefix) ? [] : undefined;
      }
      case 'map': {
        const map: Record<string, unknown> = {};
        // Members named by the model where it names them (SNS's MessageAttributes: Name and Value).
        const key = shape.key?.locationName ?? 'key';
        const val = shape.value?.locationName ?? 'value';
        for (let i = 1; params.has(`${prefix}.entry.${i}.${key}`); i++) {
          map[params.get(`${prefix}.entry.${i}.${key}`)!] = this.#bind(shape.value!.shape, params, `${prefix}.entry.${i}.${val}`);
        }
        return Object.keys(map).length ? map : undefined;
      }
      default: {
        const raw = params.get(prefix);
        if (raw === undefined) return undefined;
        return coerce(shape.type, raw, prefix);
      }
    }
  }

  #writeOutput(res: ServerResponse, ctx: RequestContext, op: Operation, output: Record<string, unknown>): void {
    const wrapper = (op.output as { resultWrapper?: string } | undefined)?.resultWrapper;
    const result = op.output ? this.#xml(op.output.shape, output) : '';
    const xml = `<${op.name}Response xmlns="${this.#namespace}">`
      + (wrapper ? `<${wrapper}>${result}</${wrapper}>` : result)
      + `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${op.name}Response>`;
    const payload = Buffer.from(xml);
    res.writeHead(200, { 'x-amzn-RequestId': ctx.requestId, 'Content-Type': 'text/xml', 'Content-Length': payload.length });
    res.end(payload);
  }

  /** The members of a value as XML elements (without an element for the value itself). */
  #xml(shapeName: string, value: unknown): string {
    const shape = this.model.shapes[shapeName];
    switch (shape.type) {
      case 'structure': {
        let out = '';
        const record = value as Record<string, unknown>;
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const v = record[name];
          if (v === undefined || v === null) continue;
          const tag = ref.locationName ?? name;
          out += `<${tag}>${this.#xml(ref.shape, v)}</${tag}>`;
        }
        return out;
      }
      case 'list':
        return (value as unknown[]).map((v) => `<member>${this.#xml(shape.member!.shape, v)}</member>`).join('');
      case 'map':
        return Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${this.#xml(shape.value!.shape, v)}</value></entry>`).join('');
      case 'timestamp':
        return value instanceof Date ? value.toISOString() : escapeXml(String(value));
      case 'blob':
        return Buffer.isBuffer(value) ? value.toString('base64') : escapeXml(String(value));
      default:
        return escapeXml(String(value));
    }
  }
}

function coerce(type: string, raw: string, name: string): unknown {
  switch (type) {
    case 'integer': case 'long': case 'double': case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw awsError('ValidationError', `Value '${raw}' for parameter ${name} is invalid.`);
      return n;
    }
    case 'boolean':
      return raw === 'true';
    case 'timestamp':
      return new Date(raw);
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** AWS's query-protocol error document. */
export function writeXmlError(res: ServerResponse, ctx: Pick<RequestContext, 'requestId'>, error: AwsError, namespace: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const xml = `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.isUserFault ? 'Sender' : 'Receiver'}</Type>`
    + `<Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>`
    + `<RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
  const payload = Buffer.from(xml);
  res.writeHead(error.status, {
    ...error.headers,
    'x-amzn-RequestId': ctx.requestId,
    'Content-Type': 'text/xml',
    'Content-Length': payload.length,
  });
  res.end(payload);
}
