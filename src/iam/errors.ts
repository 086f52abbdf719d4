// IAM's error answers, worded as AWS words them.
import { awsError, type AwsError } from '../core/errors.js';

export const noSuchRole = (name: string): AwsError => awsError('NoSuchEntity', `The role with name ${name} cannot be found.`);
export const noSuchRolePolicy = (name: string): AwsError => awsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string): AwsError => awsError('NoSuchEntity', `Policy ${arn} was not found.`);
export const notAttachable = (arn: string): AwsError => awsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
export const invalidArn = (arn: string): AwsError => awsError('InvalidInput', `ARN ${arn} is not valid.`);
/** IAM's LimitExceeded is a 409. */
export const limitExceeded = (message: string): AwsError => awsError('LimitExceeded', message, { status: 409 });
