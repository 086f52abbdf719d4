// Recognising what went wrong in an AWS call (error type, not found, server unreachable), and the
// error a deploy step raises so the user learns exactly which step failed.

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  errors?: unknown[];
  cause?: unknown;
}

/** AWS's error type (e.g. ResourceNotFoundException) when `e` is an answer from the server. */
export function awsErrorType(e: unknown): string | undefined {
  const err = e as SdkErrorLike;
  if (err && typeof err === 'object' && err.$metadata && typeof err.name === 'string' && !notAnAwsAnswer(e)) return err.name;
  return undefined;
}

/** The endpoint answered, but not as an AWS API does (another web server on that port?). */
export class NotAnAwsAnswerError extends Error {
  constructor(readonly status: number, readonly contentType?: string) {
    super(`HTTP ${status}${contentType ? `, ${contentType.split(';')[0]}` : ''}`);
    this.name = 'NotAnAwsAnswerError';
  }
}

/**
 * When `e` says the server's answer could not be read as an AWS API answer (an SDK
 * deserialization failure, or our own STS call's), the HTTP status and content type it had.
 */
export function notAnAwsAnswer(e: unknown): { status?: number; contentType?: string } | undefined {
  if (e instanceof NotAnAwsAnswerError) return { status: e.status, contentType: e.contentType };
  const err = e as SdkErrorLike & { $response?: { headers?: Record<string, string> } };
  if (!err || typeof err !== 'object' || !err.$response || !/Deserialization error/.test(err.message ?? '')) return undefined;
  return { status: err.$metadata?.httpStatusCode, contentType: err.$response.headers?.['content-type'] };
}

export function isNotFound(e: unknown): boolean {
  const type = awsErrorType(e);
  return type === 'ResourceNotFoundException' || type === 'NotFoundException';
}

const CONNECTION_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'];

/** The network error code when the server could not be reached at all. */
export function connectionErrorCode(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown): string | undefined => {
    if (!x || typeof x !== 'object' || seen.has(x)) return undefined;
    seen.add(x);
    const err = x as SdkErrorLike;
    if (typeof err.code === 'string' && CONNECTION_CODES.includes(err.code)) return err.code;
    for (const inner of err.errors ?? []) {
      const c = visit(inner);
      if (c) return c;
    }
    return visit(err.cause);
  };
  return visit(e);
}

/** `ResourceNotFoundException: Function not found: …` for AWS errors, the message otherwise. */
export function describeAwsError(e: unknown): string {
  const type = awsErrorType(e);
  const message = (e as SdkErrorLike)?.message ?? String(e);
  if (type) return message && message !== type && message !== 'UnknownError' ? `${type}: ${message}` : type;
  return message;
}

/** A deploy step failed: which resource, doing what, and the AWS error behind it. */
export class DeployStepError extends Error {
  constructor(readonly subject: string, readonly action: string, override readonly cause: unknown) {
    super(`${subject}: ${action} failed: ${describeAwsError(cause)}`);
    this.name = 'DeployStepError';
  }
}
