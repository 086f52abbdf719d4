// DynamoDB's errors, in AWS's wording. All are 400s except an internal failure; the SDKs read the
// type from `__type` and the text from `message`.
import { AwsError, awsError } from '../core/errors.js';
import type { Item } from './attribute-value.js';
import { DynamoDbValidationError } from './validation-error.js';

export const validation = (message: string): AwsError => awsError('ValidationException', message);

/** "One or more parameter values were invalid: …" */
export const invalidParameter = (detail: string): AwsError => validation(`One or more parameter values were invalid: ${detail}`);

/** Table operations name the table; item operations say only "Requested resource not found". */
export const tableNotFound = (name?: string): AwsError =>
  awsError('ResourceNotFoundException', name === undefined ? 'Requested resource not found' : `Requested resource not found: Table: ${name} not found`, { status: 400 });

export const indexNotFound = (index: string, table: string): AwsError =>
  awsError('ResourceNotFoundException', `Requested resource not found: Index ${index} for table ${table}`, { status: 400 });

export const resourceArnNotFound = (arn: string): AwsError => awsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`, { status: 400 });

export const tableInUse = (message: string): AwsError => awsError('ResourceInUseException', message, { status: 400 });

/** A failed ConditionExpression; with ReturnValuesOnConditionCheckFailure ALL_OLD it carries the item. */
export const conditionalCheckFailed = (item?: Item): AwsError =>
  awsError('ConditionalCheckFailedException', 'The conditional request failed', item ? { extra: { Item: item } } : {});

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

export const transactionCanceled = (reasons: CancellationReason[]): AwsError =>
  awsError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { extra: { CancellationReasons: reasons } });

/** The expression language's and attribute checks' error as AWS's ValidationException. */
export function asAwsError(e: unknown): unknown {
  return e instanceof DynamoDbValidationError ? validation(e.message) : e;
}
