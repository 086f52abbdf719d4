// `stagecraft deploy` with AWS::Logs::MetricFilter resources against a real server: the filter is
// put on the function's log group (created by the deploy, before the function ever logged), its
// metric counts the function's ERROR lines; a changed filter is updated, one removed from the
// template goes at the next deploy, and `stagecraft delete` removes the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { waitFor } from '../src/testing/wait.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { defaultStackName } from '../src/deploy/deploy.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
const dirs = useTempDirs();

const filter = (logicalId: string, pattern: string, extra = '') => `  ${logicalId}:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Hello}
      FilterPattern: ${pattern}
      MetricTransformations:
        - MetricName: !Sub \${Hello}-errors
          MetricNamespace: DeployedApp
          MetricValue: "1"
          DefaultValue: 0
${extra}`;

const CODE = 'exports.handler = async () => { console.log("ERROR one"); console.log("ERROR two"); console.log("WARN three"); return 1; };\n';

test('a template\'s metric filter is put on the function\'s log group, updated, removed with the template and deleted with the stack', { timeout: 120_000 }, async () => {
  const fn = unique('mf-deploy');
  const group = `/aws/lambda/${fn}`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + filter('Errors', 'ERROR') + filter('Warnings', 'WARN'), 'src/index.js': CODE }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  const filters = async () => (await env.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters ?? [];
  const put = await filters();
  assert.equal(put.length, 2);
  const errors = put.find((f) => f.filterPattern === 'ERROR')!;
  assert.match(errors.filterName!, /-Errors-[A-Z0-9]{13}$/, 'CloudFormation\'s generated name');
  assert.deepEqual(errors.metricTransformations, [{ metricName: `${fn}-errors`, metricNamespace: 'DeployedApp', metricValue: '1', defaultValue: 0 }]);
  assert.match(first.stdout, new RegExp(`CloudWatch Logs metric filter ${errors.filterName} on ${group}`));

  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live' }));
  const cw = cloudWatchClient(env.url);
  await waitFor('the deployed filter\'s count', async () => {
    const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'DeployedApp', MetricName: `${fn}-errors`, Period: 3600, Statistics: ['Sum'],
      StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000),
    }));
    // Both filters publish to the same metric: 2 ERROR lines and 1 WARN line.
    return Datapoints?.[0]?.Sum === 3 ? true : undefined;
  }, 15_000);

  // The Warnings filter leaves the template, Errors changes its pattern.
  writeFiles(dir, { 'template.yaml': SAM_HEADER + liveFunction(fn) + filter('Errors', `'"ERROR one"'`) });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.match(second.stdout, /-Warnings-[A-Z0-9]{13} on .* \[removed\]/);
  assert.deepEqual((await filters()).map((f) => [f.filterName, f.filterPattern]), [[errors.filterName, '"ERROR one"']]);

  const deleted = await runCli(['delete', '--stack-name', defaultStackName(join(dir, 'template.yaml')), '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`CloudWatch Logs metric filter ${errors.filterName} on ${group}`));
  assert.deepEqual(await filters(), []);
});
