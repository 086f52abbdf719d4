// API Gateway's error messages, worded as AWS words them (checked against recorded AWS answers).
// The codes, statuses and wire shapes come from the one catalogue in src/core/errors.ts.
import { awsError, type AwsError } from '../core/errors.js';
import type { ShapeTypeError } from '../aws/protocols/json-shapes.js';

export const badRequest = (message: string): AwsError => awsError('BadRequestException', message);
export const notFound = (message: string): AwsError => awsError('NotFoundException', message);
export const conflict = (message: string): AwsError => awsError('ConflictException', message);

export const apiNotFound = (accountId: string, apiId: string) => notFound(`Invalid API identifier specified ${accountId}:${apiId}`);
export const resourceNotFound = () => notFound('Invalid Resource identifier specified');
export const methodNotFound = () => notFound('Invalid Method identifier specified');
export const integrationNotFound = () => notFound('Invalid Integration identifier specified');
export const responseNotFound = () => notFound('Invalid Response status code specified');
export const deploymentNotFound = () => notFound('Invalid Deployment identifier specified');
export const stageNotFound = () => notFound('Invalid Stage identifier specified');

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'] as const;
export const invalidHttpMethod = () => badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);

export const invalidPatchPath = (path: string | undefined) => badRequest(`Invalid patch path ${path ?? 'null'}`);
export const onlyReplace = () => badRequest('Invalid patch operation specified. Must be one of: [replace]');
export const unsupportedOpForPath = (path: string, op: string) =>
  badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Please choose supported operations`);
export const invalidPathForReplace = (path: string, allowed: string[]) =>
  badRequest(`Invalid patch path  '${path}' specified for op 'replace'. Must be one of: [${allowed.join(', ')}]`);

export const invalidMappingExpression = (expression: string) =>
  badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${expression}]`);
export const invalidMappingParameter = (expression: string) =>
  badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${expression}]`);
export const invalidContentType = (contentType: string) =>
  badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${contentType}]`);

export const authorizerNotFound = () => notFound('Invalid Authorizer identifier specified');
/** What AWS answers CreateAuthorizer for an API that does not exist (recorded). */
export const concurrentModification = () => conflict('Unable to complete operation due to concurrent modification. Please try again later.');
/** Method authorization that needs an authorizer the API does not have. */
export const invalidAuthorizerId = () =>
  badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');

// API keys and usage plans (recorded on AWS unless noted).
export const apiKeyNotFound = () => notFound('Invalid API Key identifier specified');
export const usagePlanNotFound = () => notFound('Invalid Usage Plan ID specified');
/** An `apiStages` patch value that is missing or not "{apiId}:{stage}". */
export const invalidApiStage = () => badRequest('Invalid API Stage specified');
export const apiStageNotFound = (apiId: string, stage: string, planId: string) =>
  notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${planId}`);
/** CreateUsagePlan with an API stage lacking its apiId or stage: AWS answers with its template unfilled (as users report). */
export const blankApiStage = () => badRequest('Invalid API Stage {api: %s, stage: %s} specified for usageplan %s');
/** As users report AWS's answer. */
export const usagePlanInUse = (planId: string, apiId: string, stage: string) =>
  badRequest(`Cannot delete Usage Plan ${planId} because there are API Stages associated with it, including ${apiId}:${stage}`);
/** The paths UpdateUsagePlan removes, as AWS lists them (reported by users). */
export const invalidUsagePlanRemovePath = (path: string) => badRequest(`Invalid patch path  '${path}' specified for op 'remove'. Must be one of: `
  + '[/apiStages, /quota, /throttle, /productCode, /apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, /apiStages/<apidId:stageName>/throttle]');

// Models and request validators (recorded on AWS unless noted).
export const modelNotFound = (name: string) => notFound(`Invalid model name specified: ${name}`);
export const validatorNotFound = () => notFound('Invalid Request Validator identifier specified');
/** A request validator id a method names that the API does not have. */
export const invalidValidatorId = () => badRequest('Invalid Request Validator identifier specified');
/** A model name a method (or method response) names that the API does not have. */
export const invalidModelId = (name: string) => badRequest(`Invalid model identifier specified: ${name}`);
export const emptyModelSchema = () => badRequest('Model schema must have at least 1 property or array items defined');
/** A schema API Gateway rejects, with its list of reasons (as users report AWS's answers). */
export const invalidModel = (errors: string[]) => badRequest(`Invalid model specified: Validation Result: warnings : [], errors : [${errors.join(', ')}]`);

/**
 * A body member of the wrong JSON type, as API Gateway's (Java) deserialiser words it: a boolean or
 * a number where a string belongs (recorded: test_put_integration_request_parameter_bool_type,
 * test_integration_response_invalid_responsetemplates). Other mismatches keep the engine's detail.
 */
export function serializationError(detail: string, cause?: ShapeTypeError): AwsError {
  if (cause?.expected === 'string') {
    const javaClass = typeof cause.actual === 'boolean' ? 'java.lang.Boolean'
      : typeof cause.actual === 'number' ? 'com.amazon.coral.value.json.numbers.TruncatingBigNumber' : undefined;
    if (javaClass) return awsError('SerializationException', `class ${javaClass} can not be converted to an String`);
  }
  return awsError('SerializationException', detail);
}

// Custom domain names and base path mappings (as AWS words them, reported by users; the validation wordings are ours).
export const domainNameNotFound = () => notFound('Invalid domain name identifier specified');
export const domainNameTaken = () => conflict('The domain name you provided already exists.');
export const invalidDomainName = (name: string) => badRequest(`Invalid domain name: ${name}`);
export const basePathMappingNotFound = () => notFound('Invalid base path mapping identifier specified');
export const basePathTaken = (basePath: string) => conflict(basePath === '(none)'
  ? 'Only one base path mapping is allowed if the base path is empty.'
  : 'Base path already exists for this domain name');
export const invalidBasePath = () => badRequest('A base path may contain only letters, numbers and the characters $-_.+!*\'()');
export const invalidStageIdentifier = () => badRequest('Invalid stage identifier specified');
/** AWS documents that a domain maps WebSocket APIs only, or REST and HTTP APIs only (the wording is ours). */
export const webSocketDomainMix = () => badRequest('WebSocket APIs cannot be mapped to the same domain name as HTTP APIs or REST APIs');
/** As AWS answers (reported by users): the REST API calls take one-segment base paths only. */
export const multiLevelBasePathInV1 = () => badRequest(
  "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.");
/** As AWS answered before multi-level keys (reported by users); Stagecraft adds the slash they may now hold. */
export const invalidApiMappingKey = () => badRequest("An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()/");
/** The HTTP API calls' refusal of API mappings on an EDGE domain (reported by users). */
export const edgeDomainInV2 = () => badRequest('Only REGIONAL domain names can be managed through the API Gateway V2 API. '
  + 'For EDGE domain names, please use the API Gateway V1 API. Also note that only REST APIs can be attached to EDGE domain names.');
/** The HTTP API calls' refusal of API mappings on a TLS 1.0 domain (reported by users). */
export const tls10DomainInV2 = () => badRequest('Only REGIONAL domain names with a security policy of TLS 1.2 can be managed through the API Gateway V2 API. '
  + 'For TLS 1.0 domain names, please use the API Gateway V1 API to upgrade your security policy to TLS 1.2. '
  + 'Currently, only REST APIs can be attached to a domain name with a security policy of TLS 1.0.');
/** Stagecraft's wording: UpdateDomainName would leave multi-level mappings on a domain that cannot have them. */
export const multiLevelMappingsNeedRegional = () =>
  badRequest('A domain name with multi-level base path mappings must stay REGIONAL with the TLS 1.2 security policy');

// VPC links (REST: recorded on AWS or reported by users; HTTP APIs: Stagecraft's wording in AWS's v2 style).
export const vpcLinkNotFound = () => notFound('Invalid Vpc Link identifier specified');
export const httpVpcLinkNotFound = (id: string) => notFound(`Invalid VpcLink identifier specified ${id}`);
export const emptyVpcLinkName = () => badRequest('Name cannot be empty');
export const malformedArn = (arn: string) => badRequest(`Invalid ARN. ARN is not well formed ${arn}`);
export const tooManyTargetArns = () => badRequest('More than one target arn specified for vpc link.');
export const noTargetArns = () => badRequest('A target arn must be specified for vpc link.');
export const targetArnsFixed = () => badRequest('Target arns are not allowed to be changed/added.');
export const unknownVpcLinkReference = (id: string) => badRequest(`Invalid VPC link identifier specified ${id}`);
export const vpcLinkInUse = (id: string, references: string[], format: string) =>
  badRequest(`Cannot delete vpc link. Vpc link '${id}', is referenced in [${references.join(', ')}] in format of [${format}].`);

// Client certificates (AWS's "Invalid … identifier specified" pattern; AWS's answer is not recorded).
export const clientCertificateNotFound = () => notFound('Invalid Client Certificate identifier specified');
