// CloudWatch's errors, phrased as CloudWatch phrases them (query codes; see src/core/errors.ts).
import { awsError, type AwsError } from '../core/errors.js';

export const invalidValue = (message: string): AwsError => awsError('InvalidParameterValue', message);
export const invalidCombination = (message: string): AwsError => awsError('InvalidParameterCombination', message);
export const missingParameter = (name: string): AwsError => awsError('MissingParameter', `The parameter ${name} is required.`);
export const validationError = (message: string): AwsError => awsError('ValidationError', message);
export const invalidNextToken = (): AwsError => awsError('InvalidNextToken', 'The service cannot process the request because the NextToken is invalid.');
/** TagResource, UntagResource and ListTagsForResource on an ARN that names nothing (404). */
export const resourceNotFound = (): AwsError => awsError('ResourceNotFoundException', 'The specified resource does not exist.');
export const alarmNotFound = (name: string): AwsError => awsError('ResourceNotFound', `Could not find alarm ${name}.`);

/** The time-range checks GetMetricStatistics (InvalidParameterValue) and GetMetricData (ValidationError) share. */
export function checkTimeRange(start: Date, end: Date, fail: (message: string) => AwsError): void {
  if (start.getTime() === end.getTime()) throw fail('The parameter StartTime must not equal parameter EndTime.');
  if (start.getTime() > end.getTime()) throw fail('The parameter StartTime must be less than the parameter EndTime.');
}

/** Period: 1, 5, 10, 30 (high resolution) or a multiple of 60 seconds. */
export function checkPeriod(period: number, name: string, fail: (message: string) => AwsError): void {
  if (![1, 5, 10, 30].includes(period) && period % 60 !== 0) throw fail(`The parameter ${name} must be 1, 5, 10, 30 or a multiple of 60.`);
}

/** DashboardInvalidInputError: the query code, the messages on the JSON wire too. */
export const dashboardInvalid = (message: string, messages: { DataPath: string; Message: string }[] = []): AwsError =>
  awsError('InvalidParameterInput', message, messages.length ? { extra: { dashboardValidationMessages: messages } } : {});
/** DashboardNotFoundError. */
export const dashboardNotFound = (message: string): AwsError => awsError('ResourceNotFound', message);
