// SNS's error answers, worded as AWS words them.
import { awsError, type AwsError } from '../core/errors.js';

export const invalidParameter = (what: string): AwsError => awsError('InvalidParameter', `Invalid parameter: ${what}`);
export const invalidParameterValue = (what: string): AwsError => awsError('ParameterValueInvalid', what);
export const topicNotFound = (): AwsError => awsError('NotFound', 'Topic does not exist');
export const subscriptionNotFound = (): AwsError => awsError('NotFound', 'Subscription does not exist');
export const resourceNotFound = (): AwsError => awsError('ResourceNotFound', 'Resource does not exist');
export const notAuthorized = (message: string): AwsError => awsError('AuthorizationError', message);
