// IAM state outlives restarts (SQLite) and is shared by the nodes of a cluster (PostgreSQL): what
// one node creates the other serves, and racing checks on two nodes (attach vs delete) stay consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeleteRoleCommand, GetPolicyCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  ListAttachedRolePoliciesCommand, PutRolePolicyCommand, type Role,
} from '@aws-sdk/client-iam';
import { TestServer } from '../src/testing/fixture.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';
import { createTestDatabase } from '../src/store/postgres/testing.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const LOGS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const iam = (server: TestServer) => new IAMClient({ endpoint: server.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });

/** A role with an inline policy, an AWS managed and a customer managed policy attached. */
async function seed(client: IAMClient): Promise<Role> {
  const role = (await client.send(new CreateRoleCommand({ RoleName: 'kept', Path: '/svc/', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'k', Value: 'v' }] }))).Role!;
  await client.send(new PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline', PolicyDocument: LOGS }));
  await client.send(new AttachRolePolicyCommand({ RoleName: 'kept', PolicyArn: BASIC }));
  const arn = (await client.send(new CreatePolicyCommand({ PolicyName: 'mine', PolicyDocument: LOGS }))).Policy!.Arn!;
  await client.send(new AttachRolePolicyCommand({ RoleName: 'kept', PolicyArn: arn }));
  return role;
}

async function assertSeeded(client: IAMClient, role: Role): Promise<void> {
  const got = (await client.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!;
  assert.deepEqual([got.RoleId, got.Arn, got.CreateDate?.getTime(), got.Tags], [role.RoleId, role.Arn, role.CreateDate?.getTime(), [{ Key: 'k', Value: 'v' }]]);
  assert.equal(decodeURIComponent((await client.send(new GetRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline' }))).PolicyDocument!), LOGS);
  const attached = (await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'kept' }))).AttachedPolicies!.map((p) => p.PolicyName).sort();
  assert.deepEqual(attached, ['AWSLambdaBasicExecutionRole', 'mine']);
  assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${testAccount}:policy/mine` }))).Policy!.AttachmentCount, 1);
}

test('SQLite: roles, inline policies, customer policies and attachments survive a restart and a crash', { timeout: 90_000 }, async () => {
  let server = await TestServer.start();
  let client = iam(server);
  try {
    const role = await seed(client);
    for (const crash of [false, true]) {
      client.destroy();
      server = await server.restart({ crash });
      client = iam(server);
      await assertSeeded(client, role);
    }
  } finally {
    client.destroy();
    await server.stop();
  }
});

test('PostgreSQL cluster: one node serves what the other created; attach and delete racing on two nodes stay consistent', { timeout: 120_000 }, async () => {
  const database = await createTestDatabase();
  const nodes: TestServer[] = [];
  const clients: IAMClient[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      nodes.push(await TestServer.start({ args: ['--database', database.url] }));
      clients.push(iam(nodes[i]));
    }
    const [a, b] = clients;
    const role = await seed(a);
    await assertSeeded(b, role);
    await assert.rejects(b.send(new CreateRoleCommand({ RoleName: 'KEPT', AssumeRolePolicyDocument: TRUST })), (e: any) => e.name === 'EntityAlreadyExistsException');
    await assert.rejects(b.send(new DeleteRoleCommand({ RoleName: 'kept' })), (e: any) => e.name === 'DeleteConflictException');

    // A role attached to on one node while another deletes it: either the attachment or the delete wins, never both.
    for (let i = 0; i < 6; i++) {
      const name = `race-${i}`;
      await a.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
      const [attach, del] = await Promise.allSettled([
        a.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: BASIC })),
        b.send(new DeleteRoleCommand({ RoleName: name })),
      ]);
      assert.notEqual(attach.status, del.status, `exactly one of attach (${attach.status}) and delete (${del.status}) succeeds`);
      const exists = await b.send(new GetRoleCommand({ RoleName: name })).then(() => true, () => false);
      assert.equal(exists, attach.status === 'fulfilled');
      if (exists) assert.deepEqual((await a.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies!.map((p) => p.PolicyArn), [BASIC]);
    }

    clients[1].destroy();
    nodes[1] = await nodes[1].restart();
    clients[1] = iam(nodes[1]);
    await assertSeeded(clients[1], role);
  } finally {
    for (const c of clients) c.destroy();
    for (const n of nodes) await n.stop();
    await database.drop();
  }
});
