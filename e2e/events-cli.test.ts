// EventBridge through the AWS CLI (`aws events …`): a rule and its targets, an event put with
// put-events reaching a permitted function (InputPath applied), errors as the CLI shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createEventReceiver, functionArn, ruleArnOf, waitForEvents } from '../src/testing/event-receiver.js';

const fixture = useServer();

test('aws events: rules, targets, put-events to a function, test-event-pattern, errors', { timeout: 120_000 }, async () => {
  const cli = (...args: string[]) => awsCli(fixture.url, ['events', ...args]);
  const rule = 'cli-rule';
  await createEventReceiver(fixture.lambda, 'cli-receiver', ruleArnOf(rule));

  const put = await cli('put-rule', '--name', rule, '--event-pattern', '{"source":[{"prefix":"cli."}],"detail-type":[{"equals-ignore-case":"ping"}]}', '--description', 'from the CLI');
  assert.equal(put.code, 0, put.stderr);
  assert.equal(put.json().RuleArn, ruleArnOf(rule));
  const targets = await cli('put-targets', '--rule', rule, '--targets', JSON.stringify([{ Id: 'fn', Arn: functionArn('cli-receiver'), InputPath: '$.detail' }]));
  assert.deepEqual(targets.json(), { FailedEntryCount: 0, FailedEntries: [] });
  const listed = await cli('list-targets-by-rule', '--rule', rule);
  assert.deepEqual(listed.json().Targets, [{ Id: 'fn', Arn: functionArn('cli-receiver'), InputPath: '$.detail' }]);
  const rules = await cli('list-rules', '--name-prefix', 'cli-');
  assert.deepEqual(rules.json().Rules.map((r: { Name: string; State: string }) => [r.Name, r.State]), [[rule, 'ENABLED']]);

  const sent = await cli('put-events', '--entries', JSON.stringify([{ Source: 'cli.app', DetailType: 'PING', Detail: '{"from":"cli","n":1}' }]));
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(sent.json().FailedEntryCount, 0);
  const [received] = await waitForEvents(fixture.logs, 'cli-receiver', 1);
  assert.deepEqual(received, { from: 'cli', n: 1 });

  const matched = await cli('test-event-pattern', '--event-pattern', '{"detail":{"n":[1]}}', '--event',
    JSON.stringify({ id: '1', account: testAccount, source: 's', time: '2026-01-01T00:00:00Z', region: testRegion, 'detail-type': 'd', resources: [], detail: { n: 1 } }));
  assert.equal(matched.json().Result, true);

  const refused = await cli('delete-rule', '--name', rule);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /\(ValidationException\) when calling the DeleteRule operation(?: \(reached max retries: \d+\))?: Rule can't be deleted since it has targets\./);
  const badPattern = await cli('put-rule', '--name', 'cli-bad', '--event-pattern', '{"source":"x"}');
  assert.match(badPattern.stderr, /\(InvalidEventPatternException\) when calling the PutRule operation(?: \(reached max retries: \d+\))?: Event pattern is not valid\. Reason: "source" must be an object or an array/);
  assert.equal((await cli('remove-targets', '--rule', rule, '--ids', 'fn')).code, 0);
  assert.equal((await cli('delete-rule', '--name', rule)).code, 0);
  const gone = await cli('describe-rule', '--name', rule);
  assert.match(gone.stderr, /\(ResourceNotFoundException\) when calling the DescribeRule operation(?: \(reached max retries: \d+\))?: Rule cli-rule does not exist on EventBus default\./);
});
