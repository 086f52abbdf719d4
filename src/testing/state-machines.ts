// Test support: the state machine the Step Functions durability suites run — a Wait (of `$.wait`
// seconds) then a Lambda task — and a probe for an execution having entered its Wait.
import { CreateStateMachineCommand, GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { testAccount, testRegion } from './server.js';

export async function createWaitThenTask(sfn: SFNClient, name: string, functionName: string): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name, roleArn: `arn:aws:iam::${testAccount}:role/sfn`,
    definition: JSON.stringify({
      StartAt: 'Hold',
      States: {
        Hold: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Run' },
        Run: { Type: 'Task', Resource: `arn:aws:lambda:${testRegion}:${testAccount}:function:${functionName}`, End: true },
      },
    }),
  }));
  return stateMachineArn!;
}

/** True once the execution has entered a Wait state (for waitFor). */
export async function waitEntered(sfn: SFNClient, executionArn: string): Promise<true | undefined> {
  const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return h.events!.some((e) => e.type === 'WaitStateEntered') ? true : undefined;
}
