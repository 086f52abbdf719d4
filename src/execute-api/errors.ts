// Gateway errors: the answers API Gateway itself gives (not the integration's), each a typed
// exception carrying its status, AWS's gateway-response body and the x-amzn-ErrorType header.
// One catalogue, so every path that fails says it the way AWS does.

/** API Gateway's gateway response types we produce (names as in PutGatewayResponse). */
export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'FORBIDDEN'
  | 'INVALID_API_KEY'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'REQUEST_TOO_LARGE'
  | 'LAMBDA_REQUEST_TOO_LONG'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_5XX';

interface Spec {
  status: number;
  /** $context.error.message; null where AWS sends `"message":null` (authorizer configuration errors). */
  message: string | null;
  errorType: string;
  /** The body's key where AWS spells it `Message` (access denied by an authorizer's policy). */
  messageKey?: 'Message';
  /** Sent as text/plain instead of the JSON gateway-response body (AWS's edge answers oversized bodies so). */
  plain?: boolean;
  /** A 4xx body written `{"message": "…"}` (with a space), as AWS writes answers that are no gateway-response template. */
  spaced?: boolean;
}

const CATALOGUE: Record<GatewayResponseType, Spec> = {
  // No resource/method matches (also: a wrong method, or an undeployed change).
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  // Unknown API or stage, or an API whose execute-api endpoint is disabled.
  // An AWS_IAM method's signature is wrong, stale or made with an unknown key (when signatures are verified).
  INVALID_SIGNATURE: { status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', errorType: 'InvalidSignatureException' },
  FORBIDDEN: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  // An API key's usage plan: its rate and burst (THROTTLED), its requests per period (QUOTA_EXCEEDED).
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  // A Lambda authorizer's identity source is missing or invalid, or the function said "Unauthorized".
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  // The policy a Lambda authorizer returned does not allow the method (the message says whether explicitly).
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource', errorType: 'AccessDeniedException', messageKey: 'Message' },
  // Bodies over 10 MB are refused before API Gateway proper sees them, in plain text.
  REQUEST_TOO_LARGE: { status: 413, message: 'HTTP content length exceeded 10485760 bytes.', errorType: 'RequestEntityTooLargeException', plain: true },
  // The function's event is over Lambda's 6 MB synchronous payload limit: Lambda's
  // RequestEntityTooLargeException, answered as AWS answers it (observed: 413, this body, BadRequestException).
  LAMBDA_REQUEST_TOO_LONG: { status: 413, message: 'Request Too Long', errorType: 'BadRequestException', spaced: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  // A request validator's checks (request-validation.ts): the message names the missing parameters (recorded).
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  // The authorizer could not be called, failed, or answered something that is not an authorizer output.
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, errorType: 'AuthorizerConfigurationException' },
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  DEFAULT_5XX: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
};

export class GatewayError extends Error {
  readonly type: GatewayResponseType;
  readonly status: number;
  readonly errorType: string;
  /** What the execution log (and the platform log at warn level) says happened. */
  readonly detail: string | undefined;
  readonly contentType: string;

  /** $context.error.validationErrorString: what a request validator found ('' for other errors). */
  readonly validationErrorString: string;

  constructor(type: GatewayResponseType, detail?: string, options: { status?: number; message?: string; errorType?: string; validationErrorString?: string } = {}) {
    const spec = CATALOGUE[type];
    // Gateway errors are answers, not bugs: skip the (costly) stack trace.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const message = options.message ?? spec.message;
    super(message ?? 'null');
    this.#bodyMessage = message;
    this.#messageKey = spec.messageKey ?? 'message';
    Error.stackTraceLimit = limit;
    this.name = 'GatewayError';
    this.type = type;
    this.status = options.status ?? spec.status;
    this.errorType = options.errorType ?? spec.errorType;
    this.detail = detail;
    this.validationErrorString = options.validationErrorString ?? '';
    this.contentType = spec.plain ? 'text/plain' : 'application/json';
    this.#plain = spec.plain ?? false;
    this.#spaced = spec.spaced ?? false;
  }

  readonly #spaced: boolean;

  readonly #plain: boolean;
  readonly #bodyMessage: string | null;

  /** $context.error.message: what the default body says (null for authorizer configuration errors). */
  get bodyMessage(): string | null {
    return this.#bodyMessage;
  }

  readonly #messageKey: 'message' | 'Message';

  /**
   * The body AWS sends: its default gateway-response template {"message":$context.error.messageString}
   * for 4xx answers (`Message` for access denied, `null` for authorizer configuration errors);
   * integration and configuration failures come as {"message": "…"} (with a space).
   */
  body(): Buffer {
    if (this.#plain) return Buffer.from(this.message);
    const message = JSON.stringify(this.#bodyMessage);
    const key = this.#messageKey;
    return Buffer.from((this.status >= 500 || this.#spaced) && this.#bodyMessage !== null ? `{"${key}": ${message}}` : `{"${key}":${message}}`);
  }
}

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;

export const missingAuthenticationToken = (): GatewayError => new GatewayError('MISSING_AUTHENTICATION_TOKEN');
export const forbidden = (detail?: string): GatewayError => new GatewayError('FORBIDDEN', detail);
/** A configuration error (bad integration, missing permission, no matching output mapping): 500. */
export const configurationError = (detail: string): GatewayError => new GatewayError('API_CONFIGURATION_ERROR', `Execution failed due to configuration error: ${detail}`);
/** The integration answered something API Gateway cannot use (malformed Lambda proxy response, function error): 502. */
export const badIntegrationResponse = (detail: string): GatewayError => new GatewayError('INTEGRATION_FAILURE', detail);
export const integrationTimeout = (): GatewayError => new GatewayError('INTEGRATION_TIMEOUT', 'Execution failed due to a timeout error');
export const requestTooLarge = (): GatewayError => new GatewayError('REQUEST_TOO_LARGE');
export const lambdaRequestTooLong = (detail: string): GatewayError => new GatewayError('LAMBDA_REQUEST_TOO_LONG', detail);
/** A request body in a coding API Gateway does not decode, or not in the coding it claims (AWS: 415 before the integration). */
export const unsupportedContentEncoding = (detail: string): GatewayError => new GatewayError('UNSUPPORTED_MEDIA_TYPE', detail);
export const unsupportedMediaType = (): GatewayError => new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Request payload content type is not supported by the integration request templates');

/** A Lambda authorizer turned the caller away (missing identity, failed validation, "Unauthorized"): 401. */
export const unauthorized = (detail?: string): GatewayError => new GatewayError('UNAUTHORIZED', detail);
/**
 * The authorizer's policy denies the method, explicitly or by not allowing it: 403. AWS has
 * worded the explicit case "…with an explicit deny" and, more recently, "…with an explicit deny in
 * an identity-based policy"; we answer as AWS answers now.
 */
export const accessDenied = (explicit: boolean): GatewayError => new GatewayError('ACCESS_DENIED', undefined, explicit
  ? { message: 'User is not authorized to access this resource with an explicit deny in an identity-based policy' }
  : {});
/**
 * `Cache-Control: max-age=0` from a caller not allowed execute-api:InvalidateCache, on a method
 * whose unauthorizedCacheControlHeaderStrategy is FAIL_WITH_403: AWS's access-denied answer.
 */
export const cacheInvalidationDenied = (): GatewayError =>
  new GatewayError('ACCESS_DENIED', 'Cache-Control: max-age=0 from a caller not allowed to invalidate the cache (FAIL_WITH_403)');
/** The authorizer could not be called, failed, or answered something unusable: 500 with `{"message":null}`. */
export const authorizerConfigurationError = (detail: string): GatewayError => new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', `Execution failed due to configuration error: ${detail}`);
