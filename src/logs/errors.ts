// CloudWatch Logs' error answers, in AWS's words. Codes come from the one catalogue
// (src/core/errors.ts); CloudWatch Logs sends every client error with status 400 and `message`.
import { awsError, type AwsError, type ErrorCode } from '../core/errors.js';

const logsError = (code: ErrorCode, message: string): AwsError => awsError(code, message, { status: 400, messageKey: 'message' });

export const invalidParameter = (message: string): AwsError => logsError('InvalidParameterException', message);
export const logGroupNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified log group does not exist.');
export const logStreamNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified log stream does not exist.');
export const logGroupExists = (): AwsError => logsError('ResourceAlreadyExistsException', 'The specified log group already exists');
export const logStreamExists = (): AwsError => logsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
export const invalidNextToken = (): AwsError => invalidParameter('The specified nextToken is invalid.');
export const invalidFilterPattern = (): AwsError => invalidParameter('Invalid filter pattern');
export const metricFilterNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified metric filter does not exist.');
export const limitExceeded = (): AwsError => logsError('LimitExceededException', 'Resource limit exceeded.');
export const malformedQuery = (message: string, start: number, end: number): AwsError => awsError('MalformedQueryException', message, {
  status: 400, messageKey: 'message',
  extra: { queryCompileError: { location: { startCharOffset: start, endCharOffset: end }, message } },
});
export const queryNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified query does not exist.');
export const queryConcurrencyExceeded = (max: number): AwsError => logsError('LimitExceededException', `Account maximum query concurrency limit of [${max}] reached.`);
export const subscriptionFilterNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified subscription filter does not exist.');
export const lambdaNotPermitted = (): AwsError =>
  invalidParameter('Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.');
