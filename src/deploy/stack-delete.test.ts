import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsClients } from './clients.js';
import { runDeletions } from './stack-delete.js';
import type { Deletion } from './stack-deletions.js';

/** Clients whose every call answers with `answer(command name)`: undefined for success, else the AWS error type thrown. */
function fakeClients(answer: (command: string) => string | undefined, calls: string[]): AwsClients {
  const client = {
    send: async (command: object) => {
      const name = command.constructor.name;
      calls.push(name);
      const type = answer(name);
      if (type) throw Object.assign(new Error(`${type} from ${name}`), { name: type, $metadata: { httpStatusCode: type.includes('NotFound') ? 404 : 500 } });
      return {};
    },
  };
  return { lambda: client, apigateway: client, apigatewayv2: client } as unknown as AwsClients;
}

test('deletions run in order past a failure; not found counts as already gone', async () => {
  const calls: string[] = [];
  const deletions: Deletion[] = [
    { kind: 'domain-name', domainName: 'api.test' },
    { kind: 'rest-api', id: 'r1', name: 'shop' },
    { kind: 'alias', functionName: 'f', name: 'live' },
    { kind: 'function', functionName: 'f' },
  ];
  const reported: string[] = [];
  const outcomes = await runDeletions(
    fakeClients((c) => (c === 'DeleteRestApiCommand' ? 'InternalFailure' : c === 'DeleteAliasCommand' ? 'ResourceNotFoundException' : undefined), calls),
    deletions,
    (o) => reported.push(`${o.deletion.kind}:${o.result}`),
  );
  assert.deepEqual(calls, ['DeleteDomainNameCommand', 'DeleteRestApiCommand', 'DeleteAliasCommand', 'DeleteFunctionCommand']);
  assert.deepEqual(reported, ['domain-name:deleted', 'rest-api:failed', 'alias:gone', 'function:deleted']);
  assert.equal(outcomes.length, 4);
});

test('a usage plan leaves its API stages before it is deleted', async () => {
  const calls: string[] = [];
  await runDeletions(fakeClients(() => undefined, calls), [{ kind: 'usage-plan', id: 'p', name: 'plan', apiStages: ['r1:dev'] }], () => {});
  assert.deepEqual(calls, ['UpdateUsagePlanCommand', 'DeleteUsagePlanCommand']);
});
