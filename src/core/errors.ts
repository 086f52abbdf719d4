// The one error catalogue. Every error the platform sends to a client is an AwsError built here,
// carrying the wire error type, HTTP status and whose fault it is. Protocol serializers
// (src/aws/protocols) turn it into AWS's exact wire shape for each service.

/** How the error body spells its message: Lambda mixes `Message` and `message` per error type. */
export type MessageKey = 'Message' | 'message';

interface ErrorSpec {
  status: number;
  /** `Type` field Lambda adds to its error bodies (User = caller's fault, Service = ours). */
  type?: 'User' | 'Service';
  messageKey: MessageKey;
}

const CATALOGUE = {
  // Shared / generic
  ValidationException: { status: 400, messageKey: 'message' },
  SerializationException: { status: 400, messageKey: 'message' },
  UnknownOperationException: { status: 404, messageKey: 'message' },
  InternalFailure: { status: 500, messageKey: 'message' },
  InternalServerErrorException: { status: 500, messageKey: 'message' },
  AccessDeniedException: { status: 403, messageKey: 'Message' },
  UnrecognizedClientException: { status: 403, messageKey: 'message' },
  InvalidSignatureException: { status: 403, messageKey: 'message' },
  MissingAuthenticationTokenException: { status: 403, messageKey: 'message' },
  IncompleteSignatureException: { status: 400, messageKey: 'message' },
  // Throttling: JSON services' (CloudWatch Logs, CodeDeploy) and query services' (STS, IAM, CloudWatch, CloudFormation)
  ThrottlingException: { status: 400, messageKey: 'message' },
  Throttling: { status: 400, messageKey: 'Message' },
  // Lambda
  ResourceNotFoundException: { status: 404, type: 'User', messageKey: 'Message' },
  ResourceConflictException: { status: 409, type: 'User', messageKey: 'message' },
  ResourceInUseException: { status: 400, type: 'User', messageKey: 'Message' },
  InvalidParameterValueException: { status: 400, type: 'User', messageKey: 'message' },
  InvalidRequestContentException: { status: 400, type: 'User', messageKey: 'message' },
  PreconditionFailedException: { status: 412, type: 'User', messageKey: 'message' },
  PolicyLengthExceededException: { status: 400, type: 'User', messageKey: 'message' },
  RequestTooLargeException: { status: 413, type: 'User', messageKey: 'message' },
  RequestEntityTooLargeException: { status: 413, messageKey: 'message' },
  TooManyRequestsException: { status: 429, type: 'User', messageKey: 'message' },
  CodeStorageExceededException: { status: 400, type: 'User', messageKey: 'message' },
  InvalidZipFileException: { status: 502, type: 'User', messageKey: 'message' },
  InvalidRuntimeException: { status: 502, type: 'User', messageKey: 'message' },
  ResourceNotReadyException: { status: 502, type: 'Service', messageKey: 'message' },
  ServiceException: { status: 500, type: 'Service', messageKey: 'Message' },
  UnsupportedMediaTypeException: { status: 415, type: 'User', messageKey: 'message' },
  ProvisionedConcurrencyConfigNotFoundException: { status: 404, type: 'User', messageKey: 'message' },
  CodeSigningConfigNotFoundException: { status: 404, type: 'User', messageKey: 'Message' },
  // API Gateway
  BadRequestException: { status: 400, messageKey: 'message' },
  NotFoundException: { status: 404, messageKey: 'message' },
  ConflictException: { status: 409, messageKey: 'message' },
  LimitExceededException: { status: 429, messageKey: 'message' },
  UnauthorizedException: { status: 401, messageKey: 'message' },
  // API Gateway's @connections API (WebSocket APIs)
  GoneException: { status: 410, messageKey: 'message' },
  PayloadTooLargeException: { status: 413, messageKey: 'message' },
  ForbiddenException: { status: 403, messageKey: 'message' },
  // CloudWatch Logs
  ResourceAlreadyExistsException: { status: 400, messageKey: 'message' },
  InvalidParameterException: { status: 400, messageKey: 'message' },
  MalformedQueryException: { status: 400, messageKey: 'message' },
  // Modelled as a fault without a status; the Logs API Reference gives 500 (API Gateway's, unused here, is 503).
  ServiceUnavailableException: { status: 500, messageKey: 'message' },
  // CodeDeploy
  DeploymentIdRequiredException: { status: 400, messageKey: 'message' },
  InvalidDeploymentIdException: { status: 400, messageKey: 'message' },
  DeploymentDoesNotExistException: { status: 400, messageKey: 'message' },
  InvalidLifecycleEventHookExecutionIdException: { status: 400, messageKey: 'message' },
  InvalidLifecycleEventHookExecutionStatusException: { status: 400, messageKey: 'message' },
  LifecycleEventAlreadyCompletedException: { status: 400, messageKey: 'message' },
  // STS (query protocol)
  InvalidAction: { status: 400, messageKey: 'Message' },
  ValidationError: { status: 400, messageKey: 'Message' },
  MissingAuthenticationToken: { status: 403, messageKey: 'Message' },
  InvalidClientTokenId: { status: 403, messageKey: 'Message' },
  SignatureDoesNotMatch: { status: 403, messageKey: 'Message' },
  IncompleteSignature: { status: 400, messageKey: 'Message' },
  // SNS (query protocol)
  InvalidParameter: { status: 400, messageKey: 'Message' },
  NotFound: { status: 404, messageKey: 'Message' },
  AuthorizationError: { status: 403, messageKey: 'Message' },
  InternalError: { status: 500, messageKey: 'Message' },
  TopicLimitExceeded: { status: 403, messageKey: 'Message' },
  ParameterValueInvalid: { status: 400, messageKey: 'Message' },
  EmptyBatchRequest: { status: 400, messageKey: 'Message' },
  TooManyEntriesInBatchRequest: { status: 400, messageKey: 'Message' },
  BatchEntryIdsNotDistinct: { status: 400, messageKey: 'Message' },
  BatchRequestTooLong: { status: 400, messageKey: 'Message' },
  InvalidBatchEntryId: { status: 400, messageKey: 'Message' },
  // CloudWatch (query codes; its JSON answers name the model's shapes, see json-rpc.ts)
  InvalidParameterValue: { status: 400, messageKey: 'Message' },
  InvalidParameterCombination: { status: 400, messageKey: 'Message' },
  MissingParameter: { status: 400, messageKey: 'Message' },
  ResourceNotFound: { status: 404, messageKey: 'Message' },
  InvalidFormat: { status: 400, messageKey: 'Message' },
  InvalidParameterInput: { status: 400, messageKey: 'Message' },
  InvalidNextToken: { status: 400, messageKey: 'Message' },
  LimitExceeded: { status: 400, messageKey: 'Message' },
  InternalServiceError: { status: 500, messageKey: 'Message' },
  // IAM's (query protocol): its LimitExceeded is a 409, given as a status override where thrown.
  NoSuchEntity: { status: 404, messageKey: 'Message' },
  EntityAlreadyExists: { status: 409, messageKey: 'Message' },
  MalformedPolicyDocument: { status: 400, messageKey: 'Message' },
  DeleteConflict: { status: 409, messageKey: 'Message' },
  InvalidInput: { status: 400, messageKey: 'Message' },
  ServiceFailure: { status: 500, messageKey: 'Message' },
  // CloudFormation (query codes)
  AlreadyExistsException: { status: 400, messageKey: 'Message' },
  InsufficientCapabilitiesException: { status: 400, messageKey: 'Message' },
  ChangeSetNotFound: { status: 404, messageKey: 'Message' },
  InvalidChangeSetStatus: { status: 400, messageKey: 'Message' },
  // SQS (query codes; its JSON answers name the model's shapes, see src/sqs/errors.ts)
  'AWS.SimpleQueueService.NonExistentQueue': { status: 400, messageKey: 'message' },
  QueueAlreadyExists: { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.BatchEntryIdsNotDistinct': { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.BatchRequestTooLong': { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.EmptyBatchRequest': { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.InvalidBatchEntryId': { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.TooManyEntriesInBatchRequest': { status: 400, messageKey: 'message' },
  'AWS.SimpleQueueService.PurgeQueueInProgress': { status: 403, messageKey: 'message' },
  'AWS.SimpleQueueService.MessageNotInflight': { status: 400, messageKey: 'message' },
  ReceiptHandleIsInvalid: { status: 400, messageKey: 'message' },
  InvalidAttributeName: { status: 400, messageKey: 'message' },
  InvalidAttributeValue: { status: 400, messageKey: 'message' },
  InvalidMessageContents: { status: 400, messageKey: 'message' },
  InvalidAddress: { status: 400, messageKey: 'message' },
  OverLimit: { status: 403, messageKey: 'message' },
  // EventBridge (its ResourceNotFoundException and LimitExceededException are 400s, given where thrown)
  InvalidEventPatternException: { status: 400, messageKey: 'message' },
  ConcurrentModificationException: { status: 400, messageKey: 'message' },
  ManagedRuleException: { status: 400, messageKey: 'message' },
  InternalException: { status: 500, messageKey: 'message' },
  // DynamoDB (its ResourceNotFoundException and ResourceInUseException are 400s, given where thrown)
  ConditionalCheckFailedException: { status: 400, messageKey: 'message' },
  TransactionCanceledException: { status: 400, messageKey: 'message' },
  TransactionConflictException: { status: 400, messageKey: 'message' },
  IdempotentParameterMismatchException: { status: 400, messageKey: 'message' },
  InternalServerError: { status: 500, messageKey: 'message' },
  // SSM Parameter Store (every client error a 400)
  ParameterNotFound: { status: 400, messageKey: 'message' },
  ParameterAlreadyExists: { status: 400, messageKey: 'message' },
  ParameterVersionNotFound: { status: 400, messageKey: 'message' },
  ParameterPatternMismatchException: { status: 400, messageKey: 'message' },
  ParameterLimitExceeded: { status: 400, messageKey: 'message' },
  ParameterMaxVersionLimitExceeded: { status: 400, messageKey: 'message' },
  ParameterVersionLabelLimitExceeded: { status: 400, messageKey: 'message' },
  HierarchyLevelLimitExceededException: { status: 400, messageKey: 'message' },
  HierarchyTypeMismatchException: { status: 400, messageKey: 'message' },
  InvalidAllowedPatternException: { status: 400, messageKey: 'message' },
  UnsupportedParameterType: { status: 400, messageKey: 'message' },
  InvalidFilterKey: { status: 400, messageKey: 'message' },
  InvalidFilterOption: { status: 400, messageKey: 'message' },
  InvalidFilterValue: { status: 400, messageKey: 'message' },
  InvalidResourceId: { status: 400, messageKey: 'message' },
  InvalidResourceType: { status: 400, messageKey: 'message' },
  TooManyTagsError: { status: 400, messageKey: 'message' },
  // Secrets Manager (its ResourceNotFoundException and LimitExceededException are 400s, given where thrown)
  ResourceExistsException: { status: 400, messageKey: 'Message' },
  InvalidRequestException: { status: 400, messageKey: 'Message' },
  InvalidNextTokenException: { status: 400, messageKey: 'Message' },
} satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof CATALOGUE;

export class AwsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: 'User' | 'Service' | undefined;
  readonly messageKey: MessageKey;
  /** Extra members some errors carry on the wire (e.g. Lambda's `retryAfterSeconds`, `Reason`). */
  readonly extra: Record<string, unknown>;
  /** Headers some errors carry on the wire (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;
  /** Sent without a body (AWS's GoneException from @connections has none). */
  readonly emptyBody: boolean;

  constructor(code: ErrorCode, message: string, options: {
    messageKey?: MessageKey; status?: number; extra?: Record<string, unknown>; headers?: Record<string, string>;
    /** Leave out the catalogue's `Type` (AWS omits it from a few answers of a code that usually has it). */
    untyped?: boolean;
    emptyBody?: boolean;
  } = {}) {
    super(message);
    const spec: ErrorSpec = CATALOGUE[code];
    this.name = code;
    this.code = code;
    this.status = options.status ?? spec.status;
    this.type = options.untyped ? undefined : spec.type;
    this.messageKey = options.messageKey ?? spec.messageKey;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
    this.emptyBody = options.emptyBody ?? false;
  }

  /** True when the caller caused it (4xx); false for our own failures. */
  get isUserFault(): boolean {
    return this.status < 500;
  }
}

export function awsError(code: ErrorCode, message: string, options?: ConstructorParameters<typeof AwsError>[2]): AwsError {
  return new AwsError(code, message, options);
}

/** The services served, as their engines name them for the answer to an unexpected failure. */
export type ServiceName = 'lambda' | 'apigateway' | 'apigatewayv2' | 'apigatewaymanagementapi' | 'logs' | 'codedeploy' | 'sts' | 'cloudwatch' | 'cloudformation' | 'iam' | 'sqs' | 'events' | 'sns' | 'dynamodb'
  | 'ssm' | 'secretsmanager';

/**
 * What each service answers when something fails on our side (a store error, a bug). Only Lambda,
 * CloudWatch Logs and CloudWatch model such a fault; the others answer AWS's unmodelled errors, as seen by
 * clients of the real services (see docs/compatibility.md, "Unexpected internal errors").
 */
const INTERNAL_ERRORS: Record<ServiceName, ErrorCode> = {
  lambda: 'ServiceException',
  apigateway: 'InternalFailure',
  apigatewayv2: 'InternalServerErrorException',
  // The @connections API is served by execute-api, whose own failures are InternalServerErrorException.
  apigatewaymanagementapi: 'InternalServerErrorException',
  logs: 'ServiceUnavailableException',
  codedeploy: 'InternalFailure',
  sts: 'InternalFailure',
  cloudwatch: 'InternalServiceError',
  cloudformation: 'InternalFailure',
  iam: 'ServiceFailure',
  sqs: 'InternalFailure',
  events: 'InternalException',
  sns: 'InternalError',
  dynamodb: 'InternalServerError',
  ssm: 'InternalServerError',
  secretsmanager: 'InternalServiceError',
};

/**
 * A value the database cannot hold: on PostgreSQL, a name or id over the ~2.7 KB an index entry
 * takes, or a number beyond its column. The caller's fault, so each service answers it with its own
 * client error (400) instead of a failure on our side. Thrown by the store layer.
 */
export class StorageLimitError extends Error {}

const CLIENT_ERRORS: Record<ServiceName, ErrorCode> = {
  lambda: 'InvalidParameterValueException',
  apigateway: 'BadRequestException',
  apigatewayv2: 'BadRequestException',
  apigatewaymanagementapi: 'BadRequestException',
  logs: 'InvalidParameterException',
  codedeploy: 'ValidationException',
  sts: 'ValidationError',
  cloudwatch: 'InvalidParameterValue',
  cloudformation: 'ValidationError',
  iam: 'ValidationError',
  sqs: 'InvalidParameterValue',
  events: 'ValidationException',
  sns: 'InvalidParameter',
  dynamodb: 'ValidationException',
  ssm: 'ValidationException',
  secretsmanager: 'InvalidParameterException',
};

/** The service's own answer to input its storage cannot hold (status 400). */
export function storageLimitError(service: ServiceName, e: StorageLimitError): AwsError {
  return new AwsError(CLIENT_ERRORS[service], e.message, { status: 400 });
}

/**
 * What each service answers a request it has no room for now (the server's request memory budget
 * is spent): its own throttling error, which SDKs and the CLI retry with back-off. Lambda's control
 * plane answers 429 TooManyRequestsException with Reason CallerRateLimitExceeded, API Gateway 429
 * "Too Many Requests", the @connections API 429 LimitExceededException, the JSON services 400
 * ThrottlingException and the query services 400 Throttling, "Rate exceeded".
 */
export function throttlingError(service: ServiceName): AwsError {
  switch (service) {
    case 'lambda':
      return new AwsError('TooManyRequestsException', 'Rate exceeded', { extra: { Reason: 'CallerRateLimitExceeded' }, headers: { 'Retry-After': '1' } });
    case 'apigateway':
    case 'apigatewayv2':
      return new AwsError('TooManyRequestsException', 'Too Many Requests', { untyped: true });
    case 'apigatewaymanagementapi':
      return new AwsError('LimitExceededException', 'Rate exceeded');
    case 'logs':
    case 'codedeploy':
    case 'events':
    case 'dynamodb':
    case 'ssm':
    case 'secretsmanager':
      return new AwsError('ThrottlingException', 'Rate exceeded');
    default:
      return new AwsError('Throttling', 'Rate exceeded');
  }
}

export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred. See the server log for details.';

/** The service's own answer to an unexpected failure (status 500; the details stay in the server log). */
export function internalError(service: ServiceName): AwsError {
  return new AwsError(INTERNAL_ERRORS[service], INTERNAL_ERROR_MESSAGE);
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}
