// Secrets Manager's error answers, in AWS's words. Codes come from the one catalogue
// (src/core/errors.ts); every client error is a 400, ResourceNotFoundException included.
import { awsError, type AwsError } from '../core/errors.js';

export const invalidParameter = (message: string): AwsError => awsError('InvalidParameterException', message);
export const invalidRequest = (message: string): AwsError => awsError('InvalidRequestException', message);
export const secretNotFound = (): AwsError => awsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.', { status: 400, untyped: true });
export const valueNotFoundForStage = (stage: string): AwsError =>
  awsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`, { status: 400, untyped: true });
export const valueNotFoundForVersion = (versionId: string): AwsError =>
  awsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`, { status: 400, untyped: true });
export const secretExists = (name: string): AwsError => awsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
export const versionExists = (): AwsError => awsError('ResourceExistsException', 'You can\'t modify an existing version, you can only create a new version.');
export const markedForDeletion = (): AwsError => invalidRequest('You can\'t perform this operation on the secret because it was marked for deletion.');
export const scheduledForDeletion = (): AwsError =>
  invalidRequest('You can\'t create this secret because a secret with this name is already scheduled for deletion.');
export const bothValues = (): AwsError => invalidParameter('You can\'t specify both a binary secret value and a string secret value in the same secret.');
export const recoveryWindow = (): AwsError => invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
export const forceWithWindow = (): AwsError => invalidParameter('You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
export const invalidName = (): AwsError =>
  awsError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
export const invalidNextToken = (): AwsError => awsError('InvalidNextTokenException', 'The NextToken value is invalid.');
