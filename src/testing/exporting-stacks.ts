// Test support: two SAM templates linked as CloudFormation links stacks — a producer whose output
// exports its function's name as `${AWS::StackName}-fn`, and a consumer (parameter Producer: the
// producer's stack name) whose function's variables SHORT and LONG import it with !ImportValue !Sub.
import { liveFunction, SAM_HEADER } from '../cli/testing.js';

/** `value`: the exported output's Value (the function's name by default). */
export const producerTemplate = (fn: string, value = '!Ref Fn'): string => `${SAM_HEADER}${liveFunction(fn, '', 'Fn')}Outputs:
  FunctionName:
    Value: ${value}
    Export:
      Name: !Sub "\${AWS::StackName}-fn"
`;

export const consumerTemplate = (fn: string): string => `Parameters:
  Producer:
    Type: String
${SAM_HEADER}${liveFunction(fn, `      Environment:
        Variables:
          SHORT: !ImportValue
            Fn::Sub: "\${Producer}-fn"
          LONG:
            Fn::ImportValue: !Sub "\${Producer}-fn"
`, 'Fn')}`;
