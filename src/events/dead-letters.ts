// Targets' DeadLetterConfig: an event a target refuses (no such function, queue or topic; a
// resource policy that does not allow events.amazonaws.com) is not retried, as on AWS, and one
// whose retries ran out (target-retries.ts) goes there too, with AWS's message attributes (RULE_ARN,
// TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS), sent as events.amazonaws.com from the rule.
import { isAwsError } from '../core/errors.js';
import { DeliveryRefused } from '../core/resource-policy.js';
import { InvokePermissionError } from '../lambda/invoke.js';

/** Sends one dead letter to an SQS queue (the SQS module's sender). */
export interface EventDeadLetterSender {
  send(queueArn: string, letter: { body: string; attributes: Record<string, string>; ruleArn: string; accountId: string }): Promise<void>;
}

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottled', 'KMS.ThrottlingException']);

/** AWS's ERROR_CODE for a failed delivery: NO_RESOURCE, NO_PERMISSIONS, INVALID_PARAMETER, THROTTLING, or INTERNAL_ERROR for a failure of ours. */
export function deadLetterErrorCode(e: unknown): string {
  if (e instanceof DeliveryRefused) return e.access === 'missing' ? 'NO_RESOURCE' : 'NO_PERMISSIONS';
  if (e instanceof InvokePermissionError) return 'NO_PERMISSIONS';
  if (isAwsError(e)) {
    if (THROTTLED.has(e.code)) return 'THROTTLING';
    if (e.code === 'ResourceNotFoundException' || e.code.includes('NonExistent') || e.code === 'NotFound') return 'NO_RESOURCE';
    if (e.isUserFault) return 'INVALID_PARAMETER';
  }
  return 'INTERNAL_ERROR';
}

/** The attributes AWS puts on a dead letter (all of type String), after `retries` retries. */
export function deadLetterAttributes(ruleArn: string, targetArn: string, e: unknown, retries: number): Record<string, string> {
  return {
    RULE_ARN: ruleArn,
    TARGET_ARN: targetArn,
    ERROR_CODE: deadLetterErrorCode(e),
    ERROR_MESSAGE: e instanceof Error ? e.message : String(e),
    RETRY_ATTEMPTS: String(retries),
  };
}
