// What every client command shares: option parsing with the common options (--endpoint-url,
// --region, --json, --help), the connection to the server, and turning any failure into one
// clear sentence on stderr (AWS's error type and what to do next) and a non-zero exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClients, destroyClients, type AwsClients, type ConnectionSettings } from '../deploy/clients.js';
import { awsErrorType, connectionErrorCode, describeAwsError, notAnAwsAnswer } from '../deploy/errors.js';
import { palette, reportUsageError, writeJson } from './output.js';

// Stagecraft supports Node.js 20; the SDK's notice about its own future Node.js requirement is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const DEFAULT_ENDPOINT = 'http://localhost:4566';
export const DEFAULT_REGION = 'us-east-1';

export const COMMON_OPTIONS = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const COMMON_HELP = `
Common options:
  --endpoint-url <url>  Stagecraft server (default: $AWS_ENDPOINT_URL, else ${DEFAULT_ENDPOINT})
  --region <region>     Region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else ${DEFAULT_REGION})
  --json                Machine-readable output on stdout
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            Show this help`;

/** A failure the command explains itself: `message` is the sentence, `hint` what to do next. */
export class CliError extends Error {
  constructor(message: string, readonly hint?: string, readonly exitCode = 1, readonly type?: string) {
    super(message);
    this.name = 'CliError';
  }
}

export function connectionSettings(values: { 'endpoint-url'?: string; region?: string }, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  // An empty variable (`export AWS_REGION=`) counts as unset, as the AWS CLI treats it; a bad
  // value is reported under the name it came from.
  const pick = (flag: string, value: string | undefined, names: string[], fallback: string): { value: string; from: string } => {
    if (value !== undefined) return { value, from: flag };
    const name = names.find((n) => env[n]);
    return name ? { value: env[name]!, from: name } : { value: fallback, from: flag };
  };
  const endpoint = pick('--endpoint-url', values['endpoint-url'], ['AWS_ENDPOINT_URL'], DEFAULT_ENDPOINT);
  try {
    const url = new URL(endpoint.value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`${endpoint.from} '${endpoint.value}' is not an http:// or https:// URL`, 'Pass the server address, e.g. --endpoint-url http://localhost:4566.', 2);
  }
  const region = pick('--region', values.region, ['AWS_REGION', 'AWS_DEFAULT_REGION'], DEFAULT_REGION);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region.value)) throw new CliError(`${region.from} '${region.value}' is not a region name such as us-east-1`, undefined, 2);
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : { accessKeyId: 'test', secretAccessKey: 'test' };
  return { endpoint: endpoint.value.replace(/\/+$/, ''), region: region.value, credentials };
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Invocation<V> {
  values: V & { 'endpoint-url'?: string; region?: string; json?: boolean; 'no-color'?: boolean };
  positionals: string[];
  /** Clients for the server (created on first use, closed when the command ends). */
  clients(): AwsClients;
  settings(): ConnectionSettings;
}

/**
 * Runs a command body with parsed options; prints help, usage errors and failures in the house
 * style. The body returns the exit code.
 */
export async function runCommand<O extends Options>(
  name: string,
  help: string,
  args: string[],
  options: O,
  body: (inv: Invocation<ReturnType<typeof parseArgs<{ options: O & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>>['values']>) => Promise<number>,
  maxPositionals = Infinity,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    return reportUsageError(name, e);
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help) {
    process.stdout.write(help.endsWith('\n') ? help : `${help}\n`);
    return 0;
  }
  if (parsed.positionals.length > maxPositionals) {
    process.stderr.write(`stagecraft ${name}: unexpected argument '${parsed.positionals[maxPositionals]}'. Run \`stagecraft ${name} --help\` for usage.\n`);
    return 2;
  }
  let clients: AwsClients | undefined;
  let settings: ConnectionSettings | undefined;
  const json = Boolean(values.json);
  try {
    const getSettings = () => (settings ??= connectionSettings(values as { 'endpoint-url'?: string; region?: string }));
    return await body({
      values: values as never,
      positionals: parsed.positionals,
      settings: getSettings,
      clients: () => (clients ??= createClients(getSettings())),
    });
  } catch (e) {
    const { message, hint, type, exitCode } = explain(e, name, settings);
    if (process.env.STAGECRAFT_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    const c = palette(process.stderr, Boolean(values['no-color']));
    process.stderr.write(`${c.red(`stagecraft ${name}:`)} ${message}${hint ? ` ${hint}` : ''}\n`);
    if (json) writeJson({ error: { type: type ?? 'Error', message, hint } });
    return exitCode;
  } finally {
    if (clients) destroyClients(clients);
  }
}

const SERVER_FAILED = 'The server failed; its log (stagecraft serve output) says why.';

/** Hints for AWS error types, when the command gave none of its own. */
const HINTS: Record<string, string> = {
  ResourceNotFoundException: 'Check the name with `stagecraft status`.',
  NotFoundException: 'Check the name with `stagecraft status`.',
  ResourceConflictException: 'Another change to the same resource is in progress or it already exists; wait a moment and try again.',
  TooManyRequestsException: 'The server is busy or a concurrency limit was reached; retry shortly.',
  InvalidParameterValueException: 'Fix the value named in the message and try again.',
  ValidationException: 'Fix the value named in the message and try again.',
  BadRequestException: 'Fix the value named in the message and try again.',
  PreconditionFailedException: 'Someone changed it at the same time; run the command again.',
  UnrecognizedClientException: 'Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this server.',
  InvalidClientTokenId: 'Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this server.',
  InvalidSignatureException: 'Check AWS_SECRET_ACCESS_KEY for this server.',
  SignatureDoesNotMatch: 'Check AWS_SECRET_ACCESS_KEY for this server.',
  AccessDeniedException: 'The credentials in use may not do this.',
  UnknownOperationException: 'Is the endpoint a Stagecraft server of the current version?',
  ServiceException: SERVER_FAILED,
  InternalFailure: SERVER_FAILED,
  InternalServerErrorException: SERVER_FAILED,
  ServiceUnavailableException: SERVER_FAILED,
};

export function explain(e: unknown, command: string, settings?: ConnectionSettings): { message: string; hint?: string; type?: string; exitCode: number } {
  if (e instanceof CliError) return { message: /[.!?]$/.test(e.message) ? e.message : `${e.message}.`, hint: e.hint, type: e.type, exitCode: e.exitCode };
  const connection = connectionErrorCode(e);
  if (connection) {
    const endpoint = settings?.endpoint ?? DEFAULT_ENDPOINT;
    return {
      message: `cannot reach a Stagecraft server at ${endpoint} (${connection}).`,
      hint: 'Start one with `stagecraft serve`, or point --endpoint-url (or AWS_ENDPOINT_URL) at a running one.',
      type: connection,
      exitCode: 1,
    };
  }
  const foreign = notAnAwsAnswer(e);
  if (foreign) {
    const what = [foreign.status === undefined ? undefined : `HTTP ${foreign.status}`, foreign.contentType?.split(';')[0]].filter(Boolean).join(', ');
    return {
      message: `the server at ${settings?.endpoint ?? DEFAULT_ENDPOINT} answered, but not as an AWS API does${what ? ` (${what})` : ''}: it is not a Stagecraft server.`,
      hint: 'Point --endpoint-url (or AWS_ENDPOINT_URL) at the port `stagecraft serve` listens on.',
      type: 'NotAnAwsAnswer',
      exitCode: 1,
    };
  }
  const type = awsErrorType(e);
  if (type) {
    const text = describeAwsError(e);
    return { message: text.endsWith('.') ? text : `${text}.`, hint: HINTS[type], type, exitCode: 1 };
  }
  const err = e as Error;
  return { message: `${err?.message ?? String(e)} (unexpected error in stagecraft ${command}).`, hint: 'Run again with STAGECRAFT_DEBUG=1 to see where it happened.', type: err?.name, exitCode: 1 };
}
