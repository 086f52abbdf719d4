// Test support: SAM templates for server-side CloudFormation stacks (inline code, an API).

/** A function answering GREETING (a parameter) on GET /hello of SAM's implicit API; outputs name both. */
export const HELLO_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: hello stack
Parameters:
  Greeting:
    Type: String
    Default: hello
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async () => ({ statusCode: 200, body: process.env.GREETING });
      Environment:
        Variables:
          GREETING: !Ref Greeting
      Events:
        Hello:
          Type: Api
          Properties:
            Path: /hello
            Method: get
Outputs:
  ApiId:
    Value: !Ref ServerlessRestApi
  FunctionName:
    Value: !Ref HelloFunction
  StackId:
    Value: !Ref AWS::StackId
`;

/** `count` functions with inline code answering `body`, no events. */
export function functionsTemplate(count: number, body = 'ok'): string {
  const fns = Array.from({ length: count }, (_, i) => samFunction(`Fn${i}`, body)).join('');
  return `Transform: AWS::Serverless-2016-10-31\nResources:\n${fns}`;
}

/** Layers that don't exist: a function using them fails to create once the engine reaches it (the template passes every check before). */
export const MISSING_LAYER = 'arn:aws:lambda:us-east-1:000000000000:layer:missing:1';

/** A SAM function with inline code answering `body`; `extra` are further property lines (six spaces in). */
export function samFunction(logicalId: string, body: string, extra = ''): string {
  return `  ${logicalId}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async () => ({ body: ${JSON.stringify(body)} });
${extra}`;
}

/** A SAM template of `resources` (samFunction's), with a Greeting parameter and an output of it. */
export const samTemplate = (...resources: string[]): string =>
  `Transform: AWS::Serverless-2016-10-31\nParameters:\n  Greeting:\n    Type: String\n    Default: hello\nResources:\n${resources.join('')}Outputs:\n  Greeting:\n    Value: !Ref Greeting\n`;
