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
  const fns = Array.from({ length: count }, (_, i) => `  Fn${i}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async () => ({ body: ${JSON.stringify(body)} });
`).join('');
  return `Transform: AWS::Serverless-2016-10-31\nResources:\n${fns}`;
}
