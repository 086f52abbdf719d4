// Targets' DeadLetterConfig: an event a target refuses (no such function, queue or topic; a
// resource policy that does not allow events.amazonaws.com) is not retried, as on AWS, and goes to
// the target's dead-letter queue with AWS's message attributes (RULE_ARN, TARGET_ARN, ERROR_CODE,
// ERROR_MESSAGE, RETRY_ATTEMPTS), sent as events.amazonaws.com with the rule as the source.
import { isAwsError } from '../core/errors.js';
import { DeliveryRefused } from '../core/resource-policy.js';
import { InvokePermissionError } from '../lambda/invoke.js';

/** Sends one dead letter to an SQS queue (the SQS module's sender). */
export interface EventDeadLetterSender {
  send(queueArn: string, letter: { body: string; attributes: Record<string, string>; ruleArn: string; accountId: string }): Promise<void>;
}

/** AWS's ERROR_CODE for a failed delivery: NO_RESOURCE, NO_PERMISSIONS, INVALID_PARAMETER, or INTERNAL_ERROR for a failure of ours. */
export function deadLetterErrorCode(e: unknown): string {
  if (e instanceof DeliveryRefused) return e.access === 'missing' ? 'NO_RESOURCE' : 'NO_PERMISSIONS';
  if (e instanceof InvokePermissionError) return 'NO_PERMISSIONS';
  if (isAwsError(e)) {
    if (e.code === 'ResourceNotFoundException' || e.code.includes('NonExistent') || e.code === 'NotFound') return 'NO_RESOURCE';
    if (e.isUserFault) return 'INVALID_PARAMETER';
  }
  return 'INTERNAL_ERROR';
}

/** The attributes AWS puts on a dead letter (all of type String). */
export function deadLetterAttributes(ruleArn: string, targetArn: string, e: unknown): Record<string, string> {
  return {
    RULE_ARN: ruleArn,
    TARGET_ARN: targetArn,
    ERROR_CODE: deadLetterErrorCode(e),
    ERROR_MESSAGE: e instanceof Error ? e.message : String(e),
    RETRY_ATTEMPTS: '0',
  };
}
