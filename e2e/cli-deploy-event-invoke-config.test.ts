// `stagecraft deploy` with SAM's EventInvokeConfig: the settings land on the AutoPublishAlias, a
// failing Event invocation is retried as configured and its record reaches the OnFailure function;
// an unchanged template changes nothing; a destination without an ARN is a template error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionEventInvokeConfigCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeProject } from '../src/cli/testing.js';

const env = useServer({ args: ['--async-retry-delays', '50,50'] });
const dirs = useTempDirs();

const template = (prefix: string, destination: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Failures:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-failures
      CodeUri: failures/
      Handler: index.handler
      Runtime: nodejs20.x
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-worker
      CodeUri: worker/
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        MaximumEventAgeInSeconds: 600
        DestinationConfig:
          OnFailure:
            Type: Lambda
${destination}`;

test('the alias gets the settings; a failing event is retried once and its record reaches the OnFailure function', async () => {
  const prefix = unique('eic');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(prefix, '            Destination: !GetAtt Failures.Arn\n'),
    'worker/index.js': 'exports.handler = async () => { console.log("attempt"); throw new Error("always fails"); };\n',
    'failures/index.js': 'exports.handler = async (record) => { console.log("RECORD " + JSON.stringify(record)); return "ok"; };\n',
  }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`asynchronous invocation settings of ${prefix}-worker:live: 1 retries, events up to 600 s old, on failure → arn:aws:lambda:us-east-1:000000000000:function:${prefix}-failures`));
  const config = await env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: `${prefix}-worker`, Qualifier: 'live' }));
  assert.equal(config.MaximumRetryAttempts, 1);
  assert.equal(config.DestinationConfig?.OnFailure?.Destination, `arn:aws:lambda:us-east-1:000000000000:function:${prefix}-failures`);

  const again = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /asynchronous invocation settings/);

  await env.lambda.send(new InvokeCommand({ FunctionName: `${prefix}-worker`, Qualifier: 'live', InvocationType: 'Event', Payload: Buffer.from('{"job":7}') }));
  let record: { requestPayload?: unknown; requestContext?: { approximateInvokeCount?: number; condition?: string } } | undefined;
  for (let i = 0; i < 200 && !record; i++) {
    const events = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${prefix}-failures`, filterPattern: 'RECORD' })).catch(() => ({ events: [] }));
    const line = events.events?.find((e) => e.message?.includes('RECORD'))?.message;
    if (line) record = JSON.parse(line.slice(line.indexOf('RECORD ') + 7));
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(record, 'the failure record arrived');
  assert.deepEqual(record!.requestPayload, { job: 7 });
  assert.equal(record!.requestContext?.approximateInvokeCount, 2);
  assert.equal(record!.requestContext?.condition, 'RetriesExhausted');
});

test('a destination without an ARN is a template error', async () => {
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(unique('eic-bad'), ''),
    'worker/index.js': 'exports.handler = async () => 1;\n',
    'failures/index.js': 'exports.handler = async () => 1;\n',
  }));
  const r = await runCli(['deploy', '--check'], { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /EventInvokeConfig.DestinationConfig.OnFailure needs a Destination ARN/);
});
