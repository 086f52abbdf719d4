// What a stack's template says of its resources: the template parsed, and the types its resources
// have once deployed (SAM's transform generates CloudFormation resources of other types).
import type { StoredStack } from '../store/cloudformation-stacks-store.js';
import { parseDocument, type TemplateDocument } from './template-document.js';

/** The type of a stack's own events (its logical ID the stack's name). */
export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** The CloudFormation types SAM's transform gives the resources it generates (the stack's events and resources show these). */
const DEPLOYED_TYPES: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
};
const IMPLICIT: Record<string, string> = { ServerlessRestApi: 'AWS::ApiGateway::RestApi', ServerlessHttpApi: 'AWS::ApiGatewayV2::Api' };

/** The type a stack's resource has once deployed (SAM's generated types), for logical IDs of the template and SAM's implicit APIs. */
export function typeOfResource(doc: TemplateDocument, logicalId: string): string | undefined {
  const declared = doc.resources.get(logicalId)?.Type;
  return declared ? deployedType(declared) : IMPLICIT[logicalId];
}

/** The type a declared resource type has once SAM's transform has run (others are themselves). */
export const deployedType = (declared: string): string => DEPLOYED_TYPES[declared] ?? declared;

/** The stack's template, parsed (an unparseable stored one: undefined). */
export function storedDocument(stack: StoredStack): TemplateDocument | undefined {
  try {
    return parseDocument(stack.templateBody);
  } catch {
    return undefined;
  }
}
