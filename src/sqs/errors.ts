// SQS's errors, by their query-protocol codes (what the AWS CLI reads from <Code>, and what the
// JSON protocol's `x-amzn-query-error` header carries; SDKs name the exception from it).
import { awsError, type AwsError } from '../core/errors.js';
import type { ServiceModel } from '../aws/model.js';

export const queueDoesNotExist = (): AwsError => awsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
export const queueNameExists = (attribute: string): AwsError =>
  awsError('QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
export const invalidParameter = (message: string): AwsError => awsError('InvalidParameterValue', message);
export const missingParameter = (name: string): AwsError => awsError('MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidAttributeName = (name: string): AwsError => awsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
export const invalidAttributeValue = (name: string, reason?: string): AwsError =>
  awsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);
export const receiptHandleIsInvalid = (handle: string): AwsError =>
  awsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
export const messageNotInflight = (handle: string): AwsError =>
  awsError('InvalidParameterValue', `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
export const invalidMessageContents = (): AwsError =>
  awsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
export const messageTooLong = (limit: number): AwsError =>
  invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
export const emptyBatch = (entry: string): AwsError =>
  awsError('AWS.SimpleQueueService.EmptyBatchRequest', `There should be at least one ${entry} in the request.`);
export const tooManyEntries = (count: number): AwsError =>
  awsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`);
export const batchIdsNotDistinct = (id: string): AwsError => awsError('AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
export const invalidBatchEntryId = (): AwsError => awsError('AWS.SimpleQueueService.InvalidBatchEntryId',
  'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
export const batchTooLong = (limit: number, size: number): AwsError =>
  awsError('AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`);
export const purgeInProgress = (arn: string): AwsError =>
  awsError('AWS.SimpleQueueService.PurgeQueueInProgress', `Only one PurgeQueue operation on ${arn.split(':').pop()} is allowed every 60 seconds.`);

/**
 * The JSON model with each error shape's query code (AWS's newer models leave the awsQueryError
 * trait out; the query model has it): the JSON engine names the shape in `__type` and sends the
 * code in `x-amzn-query-error`.
 */
export function withQueryCodes(json: ServiceModel, query: ServiceModel): ServiceModel {
  const shapes = { ...json.shapes };
  for (const [name, shape] of Object.entries(shapes)) {
    if (!shape.exception) continue;
    const code = query.shapes[name]?.error?.code ?? name;
    shapes[name] = { ...shape, error: { httpStatusCode: query.shapes[name]?.error?.httpStatusCode ?? 400, code, senderFault: true } };
  }
  return { ...json, shapes };
}
