// An AWS::Lambda::Permission resource as the deploy grants it: one statement in a function's (or
// alias's) resource policy, as AddPermission makes it. Its statement ID comes from the stack and
// logical ID, so a later deploy finds it again, and removes it once the template drops it.
import { createHash } from 'node:crypto';
import { TemplateError, type Location } from './issues.js';
import type { Scope } from './intrinsics.js';
import { propertyReader } from './property-reader.js';
import type { PropertyTable } from './spec.js';
import { PLACEHOLDER, type ActiveResource, type StackModel } from './stack-model.js';

export const LAMBDA_PERMISSION_PROPERTIES: PropertyTable = {
  supported: ['Action', 'FunctionName', 'Principal', 'SourceArn', 'SourceAccount', 'EventSourceToken', 'FunctionUrlAuthType', 'PrincipalOrgID', 'InvokedViaFunctionUrl'],
  ignored: {},
  unsupported: [],
};

export interface LambdaPermissionSpec {
  logicalId: string;
  loc: Location;
  statementId: string;
  /** The function's name (or ARN, for one outside the stack), without its qualifier. */
  functionName: string;
  qualifier?: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  eventSourceToken?: string;
  functionUrlAuthType?: string;
  principalOrgId?: string;
  invokedViaFunctionUrl?: boolean;
}

/**
 * Statement IDs of a stack's AWS::Lambda::Permission resources start with this; stack names have
 * no `_` (letters, digits and hyphens), so one stack's prefix is never the start of another's.
 */
export function permissionStatementPrefix(stackName: string): string {
  return `stagecraft_${stackName}_`;
}

/** `stagecraft_{stack}_{LogicalId}`, or a digest of the logical ID where that would pass Lambda's 100 characters. */
export function permissionStatementId(stackName: string, logicalId: string): string {
  const sid = `${permissionStatementPrefix(stackName)}${logicalId}`;
  if (sid.length <= 100) return sid;
  return `${permissionStatementPrefix(stackName)}${createHash('sha256').update(logicalId).digest('hex').slice(0, 16)}`.slice(0, 100);
}

/** Splits a FunctionName (name, `name:qualifier`, partial or full ARN) into the function and its qualifier. */
export function splitFunctionName(value: string): { functionName: string; qualifier?: string } {
  const arn = /^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+)(?::([^:]+))?$/.exec(value);
  const partial = /^(\d{12}:function:[^:]+)(?::([^:]+))?$/.exec(value);
  const plain = /^([^:]+)(?::([^:]+))?$/.exec(value);
  const m = arn ?? partial ?? plain;
  if (!m) return { functionName: value };
  const qualifier = m[2] && m[2] !== '$LATEST' ? m[2] : undefined;
  return { functionName: m[1], qualifier };
}

const AUTH_TYPES = ['NONE', 'AWS_IAM'];

export function lambdaPermissionSpec(model: StackModel, r: ActiveResource, scope: Scope): LambdaPermissionSpec {
  const { fail, value, str } = propertyReader(r, scope);
  const id = r.def.logicalId;
  const required = (key: string): string => str(key) ?? fail(key, `${id} needs ${key}`);
  const target = required('FunctionName');
  const action = required('Action');
  if (!PLACEHOLDER.test(action) && !/^(lambda:[A-Za-z*]+|\*)$/.test(action)) fail('Action', `Action is a Lambda action such as lambda:InvokeFunction, got '${action}'`);
  const authType = str('FunctionUrlAuthType');
  if (authType !== undefined && !AUTH_TYPES.includes(authType)) fail('FunctionUrlAuthType', `FunctionUrlAuthType is NONE or AWS_IAM, got '${authType}'`);
  const viaUrl = value('InvokedViaFunctionUrl');
  if (viaUrl !== undefined && typeof viaUrl !== 'boolean' && viaUrl !== 'true' && viaUrl !== 'false') fail('InvokedViaFunctionUrl', 'InvokedViaFunctionUrl is true or false');
  const { functionName, qualifier } = splitFunctionName(target);
  if (!functionName) throw new TemplateError(`${id}'s FunctionName is empty`, `${r.def.path}.Properties.FunctionName`, r.def.loc);
  return {
    logicalId: id,
    loc: r.def.loc,
    statementId: permissionStatementId(model.identity.stackName, id),
    functionName,
    qualifier,
    action,
    principal: required('Principal'),
    sourceArn: str('SourceArn'),
    sourceAccount: str('SourceAccount'),
    eventSourceToken: str('EventSourceToken'),
    functionUrlAuthType: authType,
    principalOrgId: str('PrincipalOrgID'),
    invokedViaFunctionUrl: viaUrl === undefined ? undefined : viaUrl === true || viaUrl === 'true',
  };
}
