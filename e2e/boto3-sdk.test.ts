// The Python SDK unchanged: boto3 scripts (e2e/python/, one area each) drive a real server the way
// Python users script AWS, and fail on any answer botocore parses differently from AWS's. Each
// script asserts on its own and prints what failed; here its exit status and report are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boto3Skip, runBoto3Script } from '../src/testing/boto3.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

async function passes(script: string) {
  const r = await runBoto3Script(env.url, script);
  assert.equal(r.code, 0, `${script} failed:\n${r.stderr}\n${r.stdout}`);
  return r.report();
}

const options = { skip: boto3Skip, timeout: 90_000 };

test('Lambda: zip, waiters, versions, weighted aliases, permissions, Tail logs, paginators, tags, ClientErrors', options, async () => {
  const report = await passes('lambda_workflow.py');
  assert.deepEqual(report.executed, ['1', '2']);
  assert.ok(report.pages >= 2);
});

test('API Gateway REST: a stage-variable alias integration, stages patched, exports, paginators, the stage URL', options, async () => {
  const report = await passes('apigateway_rest.py');
  assert.deepEqual(report.stages, ['dev', 'prod']);
});

test('API Gateway v2: a quick-created HTTP API, routes, stages, paginators, the stage URL', options, async () => {
  const report = await passes('apigatewayv2_http.py');
  assert.deepEqual(report.stages, ['$default', 'prod']);
});

test('CloudWatch Logs and metrics after invocations: paginated streams, events, filters, statistics, alarms', options, async () => {
  const report = await passes('logs_metrics.py');
  assert.equal(report.filtered, 13);
});

test('CloudWatch over the query protocol, as boto3 before 1.37 speaks it (a gzipped form body included)', options, async () => {
  assert.deepEqual(await passes('cloudwatch_query.py'), { protocol: 'query', metrics: 150 });
});

test('STS GetCallerIdentity over the query protocol', options, async () => {
  assert.deepEqual(await passes('sts_identity.py'), { Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
});

test('IAM: an execution role as scripts create it (managed and inline policies, paginators, decoded documents, errors), then a function using it', options, async () => {
  const report = await passes('iam_roles.py');
  assert.deepEqual([report.pages, report.invoked], [3, 42]);
});

test('SQS: a FIFO queue, attributes whose digests botocore checks, deduplication, batches, a modelled error', options, async () => {
  assert.deepEqual(await passes('sqs_queues.py'), {
    bodies: ['job 0', 'job 1', 'job 2'], error: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.',
  });
});

test('a Python function calls the platform with boto3 (AWS_ENDPOINT_URL, its own credentials)', options, async () => {
  const report = await passes('lambda_boto3_inside.py');
  assert.equal(report.inside.missing, 'ResourceNotFoundException');
});
