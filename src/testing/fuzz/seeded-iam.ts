// Test support: the IAM resources a fuzz run creates first (a role with an inline policy, an
// attached AWS managed policy and a customer managed one), so fuzzed IAM requests name real ones;
// and the check afterwards that what is left of them is consistent.
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, GetPolicyCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand,
  ListPoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { testCredentials, testRegion } from '../server.js';
import type { KnownIds } from './values.js';

const ROLE = 'fuzz-role';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ALLOW_LOGS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const client = (url: string) => new IAMClient({ endpoint: url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });

export async function seedIam(url: string): Promise<KnownIds> {
  const iam = client(url);
  try {
    await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'fuzz-inline', PolicyDocument: ALLOW_LOGS }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: BASIC }));
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'fuzz-policy', PolicyDocument: ALLOW_LOGS }))).Policy!.Arn!;
    return { rolename: [ROLE], policyname: ['fuzz-inline', 'fuzz-policy'], policyarn: [arn, BASIC], versionid: ['v1'], policydocument: [ALLOW_LOGS], assumerolepolicydocument: [TRUST] };
  } finally {
    iam.destroy();
  }
}

/** Whatever fuzzed requests did to the seeded role and policies, what is left is consistent: no attachment of a policy that is gone. */
export async function assertIamConsistent(url: string): Promise<void> {
  const iam = client(url);
  try {
    await iam.send(new GetPolicyCommand({ PolicyArn: BASIC }));
    const roles = (await iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles!;
    for (const role of roles) {
      assert.equal((await iam.send(new GetRoleCommand({ RoleName: role.RoleName }))).Role?.Arn, role.Arn);
      await iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }));
      for (const p of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }))).AttachedPolicies!) {
        assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn }))).Policy?.Arn, p.PolicyArn, `${role.RoleName} has ${p.PolicyArn} attached, which is gone`);
      }
    }
    await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
  } finally {
    iam.destroy();
  }
}
