// EventBridge's error answers, in AWS's words. Codes come from the one catalogue
// (src/core/errors.ts); EventBridge sends every client error with status 400 and `message`.
import { awsError, type AwsError } from '../core/errors.js';

export { invalidEventPattern } from './event-pattern.js';

export const validation = (message: string): AwsError => awsError('ValidationException', message);
export const busNotFound = (name: string): AwsError => awsError('ResourceNotFoundException', `Event bus ${name} does not exist.`, { status: 400, messageKey: 'message', untyped: true });
export const ruleNotFound = (name: string, bus: string): AwsError =>
  awsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`, { status: 400, messageKey: 'message', untyped: true });
export const resourceNotFound = (message: string): AwsError => awsError('ResourceNotFoundException', message, { status: 400, messageKey: 'message', untyped: true });
export const busExists = (arn: string): AwsError => awsError('ResourceAlreadyExistsException', `Event bus ${arn.slice(arn.indexOf(':event-bus/') + 11)} already exists.`);
export const invalidSchedule = (): AwsError => validation('Parameter ScheduleExpression is not valid.');
export const limitExceeded = (message: string): AwsError => awsError('LimitExceededException', message, { status: 400 });
