// Lambda's recurring error messages, worded as AWS words them (codes live in src/core/errors.ts).
import { awsError, isAwsError, type AwsError } from '../core/errors.js';

export const functionNotFound = (arn: string): AwsError => awsError('ResourceNotFoundException', `Function not found: ${arn}`);
export const aliasNotFound = (arn: string): AwsError => awsError('ResourceNotFoundException', `Cannot find alias arn: ${arn}`);
export const qualifierMismatch = (): AwsError =>
  awsError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
export const revisionMismatch = (api: 'GetFunction/GetAlias' | 'GetPolicy' | 'GetLayerPolicy' = 'GetFunction/GetAlias'): AwsError =>
  awsError('PreconditionFailedException', `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`);

/** How often a read-change-write that lost its compare-and-swap to a concurrent write runs again. */
const RACE_ATTEMPTS = 20;

/**
 * Runs a handler's read-change-write, which throws `revisionMismatch` when its compare-and-swap
 * lost to a concurrent write (another request, on this node or another of a cluster). A caller
 * that sent no RevisionId asked for no precondition: the write runs again on what won, as AWS
 * applies such calls one after the other; a caller's own RevisionId keeps AWS's 412.
 */
export async function retryingLostRaces<T>(callerRevisionId: string | undefined, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (e) {
      if (callerRevisionId || attempt >= RACE_ATTEMPTS || !isAwsError(e) || e.code !== 'PreconditionFailedException') throw e;
    }
  }
}

export const unqualifiedOnly = (): AwsError =>
  awsError('InvalidParameterValueException', 'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.');
export const invalidParameter = (message: string): AwsError => awsError('InvalidParameterValueException', message);
export const wrongRegion = (arnRegion: string, region: string): AwsError =>
  awsError('ResourceNotFoundException', `Functions from '${arnRegion}' are not reachable in this region ('${region}')`);
export const updateInProgress = (arn: string): AwsError =>
  awsError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);
export const functionDoesNotExist = (): AwsError => awsError('ResourceNotFoundException', "The function doesn't exist.");
export const noEventInvokeConfig = (arn: string): AwsError => awsError('ResourceNotFoundException', `The function ${arn} doesn't have an EventInvokeConfig`);
