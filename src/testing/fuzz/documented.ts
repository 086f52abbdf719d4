// Test support: which operations docs/compatibility.md says are served (supported or partial),
// per service. Those must never answer 501; the others may, as the not-yet answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../server.js';

const SECTIONS: [RegExp, string[]][] = [
  [/^## Lambda \(/, ['lambda']],
  [/^## Lambda function URLs/, []],
  [/^## API Gateway \(`2015/, ['apigateway']],
  [/^## API Gateway data plane/, []],
  [/^## API Gateway HTTP and WebSocket/, ['apigatewayv2']],
  [/^### @connections/, ['apigatewaymanagementapi']],
  [/^## CodeDeploy/, ['codedeploy']],
  [/^## CloudWatch Logs and STS/, ['logs', 'sts']],
  [/^## CloudWatch metrics and alarms/, ['cloudwatch']],
  [/^## IAM \(/, ['iam']],
  [/^## SQS \(/, ['sqs', 'sqs-query']],
  [/^## SNS \(/, ['sns']],
  [/^## EventBridge \(/, ['events']],
  [/^## DynamoDB \(/, ['dynamodb']],
  [/^## /, []],
];

// EventBridge's section describes its operations in prose, not in a table.
const EVENTS_SERVED = [
  'CreateEventBus', 'DescribeEventBus', 'ListEventBuses', 'DeleteEventBus', 'PutRule', 'DescribeRule', 'ListRules', 'EnableRule', 'DisableRule',
  'DeleteRule', 'ListRuleNamesByTarget', 'TestEventPattern', 'PutTargets', 'RemoveTargets', 'ListTargetsByRule', 'PutEvents',
  'TagResource', 'UntagResource', 'ListTagsForResource',
];

// SSM Parameter Store's and Secrets Manager's sections describe their operations in prose too
// (Secrets Manager's rotation answers InvalidRequestException, a 400: served as far as the fuzz goes).
const SSM_SERVED = [
  'PutParameter', 'GetParameter', 'GetParameters', 'GetParametersByPath', 'DeleteParameter', 'DeleteParameters', 'DescribeParameters',
  'GetParameterHistory', 'LabelParameterVersion', 'UnlabelParameterVersion', 'AddTagsToResource', 'RemoveTagsFromResource', 'ListTagsForResource',
];
const SECRETS_SERVED = [
  'CreateSecret', 'DescribeSecret', 'GetSecretValue', 'BatchGetSecretValue', 'PutSecretValue', 'UpdateSecret', 'UpdateSecretVersionStage',
  'ListSecrets', 'ListSecretVersionIds', 'DeleteSecret', 'RestoreSecret', 'TagResource', 'UntagResource', 'GetRandomPassword', 'RotateSecret', 'CancelRotateSecret',
];

/** Service → operations documented as supported or partial. */
export function documentedOperations(): Map<string, Set<string>> {
  const text = readFileSync(join(repoRoot, 'docs', 'compatibility.md'), 'utf8');
  const out = new Map<string, Set<string>>([
    ['events', new Set(EVENTS_SERVED)], ['ssm', new Set(SSM_SERVED)], ['secretsmanager', new Set(SECRETS_SERVED)],
  ]);
  let services: string[] = [];
  for (const line of text.split('\n')) {
    const section = SECTIONS.find(([re]) => re.test(line));
    if (section) services = section[1];
    const row = /^\| ([^|]+) \| (supported|partial)/i.exec(line);
    if (!row) continue;
    for (const name of row[1].split(/[,/]/).map((s) => s.trim()).filter((s) => /^[A-Z][A-Za-z0-9]+$/.test(s))) {
      for (const service of services) {
        if (!out.has(service)) out.set(service, new Set());
        out.get(service)!.add(name);
      }
    }
  }
  return out;
}
