// Step Functions' API errors (all 400s in AWS JSON 1.0) and the runtime error an execution's states raise.
import { awsError } from '../core/errors.js';

export const invalidDefinition = (problems: string[]) =>
  awsError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`);
/** AWS names what is wrong: the prefix (`arn:aws:states:` missing), or the kind of resource. */
export const invalidArn = (arn: string) => {
  const m = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:([^:]*)/.exec(arn);
  if (!m) return awsError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  return awsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[1]}'`);
};
export const invalidName = (name: string) => awsError('InvalidName', `Invalid Name: '${name}'`);
export const machineMissing = (arn: string) => awsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const machineExists = (arn: string) => awsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
export const executionMissing = (arn: string) => awsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
export const executionExists = (arn: string) => awsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
export const invalidInput = (detail: string) => awsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`);
export const resourceMissing = (arn: string) => awsError('ResourceNotFound', `Resource not found: '${arn}'`, { status: 400, messageKey: 'message' });
export const invalidToken = () => awsError('InvalidToken', 'Invalid Token');
export const missingUpdate = () =>
  awsError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
export const validation = (message: string) => awsError('ValidationException', message);

/** An error a state raises (States.Timeout, a function's errorType, a Fail state's Error), matched by Retry and Catch. */
export class StatesError extends Error {
  constructor(readonly error: string, override readonly cause: string) {
    super(`${error}: ${cause}`);
  }
}

export const runtimeError = (cause: string) => new StatesError('States.Runtime', cause);
