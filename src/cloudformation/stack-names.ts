// CloudFormation's checks on a new stack's name (CreateStack, CreateChangeSet of type CREATE): the
// model leaves StackName unconstrained, but AWS's front end refuses a name that doesn't start with
// a letter or holds anything but letters, digits and hyphens, or is longer than 128 characters.
import { awsError } from '../core/errors.js';
import { validationMessage } from '../aws/validate.js';

const NAME_PATTERN = '[a-zA-Z][-a-zA-Z0-9]*';
const NAME = new RegExp(`^(?:${NAME_PATTERN})$`);
export const MAX_STACK_NAME = 128;
/** DescribeStacks takes a name or a stack ID. */
const NAME_OR_ID_PATTERN = `${NAME_PATTERN}|arn:[-a-zA-Z0-9:/._+]*`;
const NAME_OR_ID = new RegExp(`^(?:${NAME_OR_ID_PATTERN})$`);

const patternViolation = (name: string, pattern: string) =>
  `Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`;

export function checkNewStackName(name: string): void {
  const violations: string[] = [];
  if (!NAME.test(name)) violations.push(patternViolation(name, NAME_PATTERN));
  if (name.length > MAX_STACK_NAME) violations.push(`Value '${name}' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to ${MAX_STACK_NAME}`);
  if (violations.length) throw awsError('ValidationError', validationMessage(violations));
}

/** DescribeStacks' StackName: a name that could never be a stack's is refused rather than not found. */
export function checkStackNameOrId(nameOrId: string): void {
  if (!NAME_OR_ID.test(nameOrId)) throw awsError('ValidationError', validationMessage([patternViolation(nameOrId, NAME_OR_ID_PATTERN)]));
}

/** CreateStack's failure options: AWS refuses both at once. */
export function checkFailureOptions(input: { OnFailure?: string; DisableRollback?: boolean }): void {
  if (input.OnFailure !== undefined && input.DisableRollback !== undefined) {
    throw awsError('ValidationError', 'Either DisableRollback or OnFailure can be specified, not both.');
  }
}
