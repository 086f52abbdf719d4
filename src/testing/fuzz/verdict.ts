// Test support: what a fuzzed request's answer must look like. Never a 5xx for the client's
// mistakes (a not-yet operation's 501 aside, and 5xx errors the model gives the operation itself),
// and every error in its service protocol's shape: REST-JSON and JSON 1.1 name the error in
// `x-amzn-ErrorType` with a JSON body carrying the message (JSON 1.1: `__type` too); the query
// protocol answers an XML `<ErrorResponse>`.
import type { Operation, ServiceModel } from '../../aws/model.js';
import type { WireResponse } from './send.js';
import { fromJson } from '../../aws/protocols/json-shapes.js';

/** The error type each service answers its own failures with: a 500 of that type is a bug found. */
const INTERNAL: Record<string, string> = {
  lambda: 'ServiceException', apigateway: 'InternalFailure', apigatewayv2: 'InternalServerErrorException',
  apigatewaymanagementapi: 'InternalServerErrorException', logs: 'ServiceUnavailableException', codedeploy: 'InternalFailure', sts: 'InternalFailure', cloudwatch: 'InternalServiceError', iam: 'ServiceFailure',
  sqs: 'InternalFailure', 'sqs-query': 'InternalFailure', sns: 'InternalError', events: 'InternalException',
  dynamodb: 'InternalServerError', ssm: 'InternalServerError', secretsmanager: 'InternalServiceError',
};

export interface VerdictContext {
  service: string;
  model: ServiceModel;
  op: Operation;
  /** Operations the docs say are served: these must not answer 501. */
  documented: Set<string>;
}

const header = (res: WireResponse, name: string) => {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function errorCodeOf(res: WireResponse, protocol: string): { code?: string; problem?: string } {
  const text = res.body.toString('utf8');
  if (protocol === 'query') {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    if (!/^<ErrorResponse[\s>]/.test(text.replace(/^<\?xml[^>]*>\s*/, '')) || !code || !/<Message>/.test(text) || !/<Type>(Sender|Receiver)<\/Type>/.test(text)) {
      return { code, problem: `not an XML <ErrorResponse> with Type, Code and Message: ${text.slice(0, 300)}` };
    }
    return { code };
  }
  const type = header(res, 'x-amzn-errortype')?.split(':')[0];
  if (!type) return { problem: `no x-amzn-ErrorType header; body: ${text.slice(0, 300)}` };
  if (res.status === 410 && type === 'GoneException' && res.body.length === 0) return { code: type }; // @connections: AWS sends no body
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: type, problem: `error body is not JSON: ${text.slice(0, 300)}` };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { code: type, problem: `error body is not a JSON object: ${text.slice(0, 300)}` };
  if (protocol === 'json') {
    if (body.__type !== type) return { code: type, problem: `__type ${JSON.stringify(body.__type)} differs from x-amzn-ErrorType ${type}` };
    if (body.message !== undefined && typeof body.message !== 'string') return { code: type, problem: 'message is not a string' };
    return { code: type };
  }
  const message = body.message ?? body.Message;
  if (typeof message !== 'string') return { code: type, problem: `no message in the error body: ${text.slice(0, 300)}` };
  return { code: type };
}

/** Problems with one answer (empty when it is acceptable). */
export function judge(ctx: VerdictContext, res: WireResponse): string[] {
  const problems: string[] = [];
  const protocol = ctx.model.metadata.protocol;
  if (res.status < 400) return outputProblems(ctx, res);
  const { code, problem } = errorCodeOf(res, protocol);
  if (problem) problems.push(problem);
  if (res.status >= 500) {
    const notYet = res.status === 501 && (code === 'UnknownOperationException' || code === 'InvalidAction');
    const modelled = (ctx.op.errors ?? []).some((e) => e.shape === code && ctx.model.shapes[e.shape]?.error?.httpStatusCode === res.status);
    if (notYet && ctx.documented.has(ctx.op.name)) problems.push(`501 for ${ctx.op.name}, which docs/compatibility.md says is supported`);
    else if (!notYet && (code === INTERNAL[ctx.service] || !modelled)) problems.push(`status ${res.status} (${code ?? 'no error type'}) for a client's request`);
  }
  return problems;
}

/** A success's JSON body must have the types the output shape gives its members (an SDK parses it so). */
function outputProblems(ctx: VerdictContext, res: WireResponse): string[] {
  const output = ctx.op.output && ctx.model.shapes[ctx.op.output.shape];
  if (!output || ctx.model.metadata.protocol === 'query' || !res.body.length) return [];
  let shapeName = ctx.op.output!.shape;
  if (output.payload) {
    shapeName = output.members![output.payload].shape;
    const payload = ctx.model.shapes[shapeName] as { type: string; eventstream?: boolean };
    if (payload.type !== 'structure' || payload.eventstream) return [];
  }
  try {
    fromJson(ctx.model, shapeName, JSON.parse(res.body.toString('utf8')));
    return [];
  } catch (e) {
    return [`the ${res.status} answer does not fit ${shapeName}: ${(e as Error).message}`];
  }
}
