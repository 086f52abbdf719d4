// `stagecraft deploy` with an AWS::Logs::SubscriptionFilter and the AWS::Lambda::Permission that
// lets CloudWatch Logs invoke its destination: the shipper function receives the other function's
// ERROR lines; a filter removed from the template goes at the next deploy, and `stagecraft delete`
// removes the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeSubscriptionFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { waitFor } from '../src/testing/wait.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { defaultStackName } from '../src/deploy/deploy.js';

const env = useServer();
const dirs = useTempDirs();

// One file for both functions: the shipper prints what it receives, the app prints log lines.
const CODE = `const zlib = require('node:zlib');
exports.handler = async (event) => {
  if (event.awslogs) {
    const m = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString());
    for (const e of m.logEvents) console.log('SHIPPED ' + m.messageType + ' ' + e.message.trim().split('\\t').pop());
    return;
  }
  console.log('ERROR payment failed'); console.log('ok');
};
`;

const permission = `  ShipperPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Shipper.Arn
      Action: lambda:InvokeFunction
      Principal: logs.amazonaws.com
      SourceArn: !Sub arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/\${Hello}:*
`;
const subscription = (logicalId: string, pattern: string) => `  ${logicalId}:
    Type: AWS::Logs::SubscriptionFilter
    DependsOn: ShipperPermission
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Hello}
      FilterPattern: ${pattern}
      DestinationArn: !GetAtt Shipper.Arn
`;

test('a template\'s subscription filter ships a function\'s log lines to another, is removed with the template and deleted with the stack', { timeout: 120_000 }, async () => {
  const app = unique('sf-app');
  const shipper = unique('sf-shipper');
  const group = `/aws/lambda/${app}`;
  const functions = liveFunction(app) + liveFunction(shipper, '', 'Shipper') + permission;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + functions + subscription('Ship', 'ERROR') + subscription('ShipAll', '""'), 'src/index.js': CODE }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  const filters = async () => (await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters ?? [];
  const put = await filters();
  assert.equal(put.length, 2);
  const ship = put.find((f) => f.filterPattern === 'ERROR')!;
  assert.match(ship.filterName!, /-Ship-[A-Z0-9]{13}$/);
  assert.match(ship.destinationArn!, new RegExp(`:function:${shipper}$`));
  assert.match(first.stdout, new RegExp(`CloudWatch Logs subscription filter ${ship.filterName} on ${group}`));

  // The catch-all filter leaves the template before the function logs.
  writeFiles(dir, { 'template.yaml': SAM_HEADER + functions + subscription('Ship', 'ERROR') });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.match(second.stdout, /-ShipAll-[A-Z0-9]{13} on .* \[removed\]/);
  assert.deepEqual((await filters()).map((f) => f.filterName), [ship.filterName]);

  await env.lambda.send(new InvokeCommand({ FunctionName: app, Qualifier: 'live' }));
  const lines = await waitFor('the shipped line', async () => {
    const { events = [] } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${shipper}`, filterPattern: 'SHIPPED' }))
      .catch(() => ({ events: [] }));
    const shipped = events.map((e) => e.message!.slice(e.message!.indexOf('SHIPPED')).trim());
    return shipped.includes('SHIPPED DATA_MESSAGE ERROR payment failed') ? shipped : undefined;
  }, 20_000);
  assert.ok(!lines.some((l) => l.endsWith(' ok')), lines.join('\n'));

  const deleted = await runCli(['delete', '--stack-name', defaultStackName(join(dir, 'template.yaml')), '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`CloudWatch Logs subscription filter ${ship.filterName} on ${group}`));
  assert.deepEqual(await filters(), []);
});
