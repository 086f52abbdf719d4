// Event source mappings' error answers, worded as AWS words them (recorded where a recording exists:
// TestLambdaEventSourceMappings::test_event_source_mapping_exceptions).
import { awsError, type AwsError } from '../../core/errors.js';
import { invalidParameter } from '../errors.js';

export const mappingNotFound = (): AwsError => awsError('ResourceNotFoundException', 'The resource you requested does not exist.');
export const mappingArnNotFound = (arn: string): AwsError => awsError('ResourceNotFoundException', `Event source mapping not found: ${arn}`);
export const unrecognizedEventSource = (): AwsError => invalidParameter('Unrecognized event source.');
export const functionDoesNotExistForMapping = (): AwsError => invalidParameter('Function does not exist');
export const queueDoesNotExistForMapping = (): AwsError => invalidParameter(
  'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.');
export const visibilityShorterThanTimeout = (visibility: number, timeout: number): AwsError =>
  invalidParameter(`Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${timeout} seconds`);
export const batchWindowRequired = (): AwsError => invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
export const invalidFilterPattern = (): AwsError => invalidParameter('Invalid filter pattern definition.');
export const unsupportedParameter = (name: string): AwsError => invalidParameter(`Unsupported ${name} parameter for given event source mapping type.`);
export const mappingConflict = (queueArn: string, functionName: string, uuid: string): AwsError => awsError('ResourceConflictException',
  `An event source mapping with SQS arn (" ${queueArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID ${uuid}`);
