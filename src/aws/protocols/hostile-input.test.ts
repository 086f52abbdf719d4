// Input no store or handler can take is refused by the protocol engines with the service's own
// client error, before a handler sees it: U+0000 in any member (PostgreSQL cannot hold it),
// numeric URI labels that are no numbers, integers beyond their Java type, invalid timestamps;
// and a query-protocol body of many members binds in linear time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../model.js';
import { awsError, StorageLimitError } from '../../core/errors.js';
import { RestJsonService, type OperationHandler } from './rest-json.js';
import { JsonRpcService } from './json-rpc.js';
import { QueryService } from './query.js';
import { fromJson, ShapeTypeError } from './json-shapes.js';
import { answerOnce, recordingHandler } from '../../testing/serve-engine.js';

/** A handler that records what it got (and must not be reached by hostile input). */
const recording = recordingHandler;

const lambdaEngine = (handlers: Record<string, OperationHandler>) => new RestJsonService(loadModel('lambda-2015-03-31'), handlers, {
  service: 'lambda',
  maxBody: () => 1024 * 1024,
  tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
  malformedBody: (detail) => awsError('InvalidRequestContentException', `Could not parse request body into json: ${detail}`),
  invalid: (message) => awsError('ValidationException', message),
  // As Lambda's layer operations: validated by their handlers, so only the engine stands in between.
  skipValidation: new Set(['GetLayerVersion']),
});

test('REST-JSON: U+0000 in a path label or a body member is a validation error, not a handler call', async () => {
  const { seen, handler } = recording();
  const engine = lambdaEngine({ GetFunction: handler, CreateAlias: handler });
  const label = await answerOnce(engine, '/2015-03-31/functions/a%00b', {});
  assert.equal(label.status, 400);
  assert.equal(label.headers.get('x-amzn-errortype'), 'ValidationException');
  assert.equal(((await label.json()) as { message: string }).message, "1 validation error detected: Value at 'functionName' failed to satisfy constraint: Member must not contain null characters");
  const body = await answerOnce(engine, '/2015-03-31/functions/f/aliases', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'live', FunctionVersion: '1', Description: 'x\u0000y' }),
  });
  assert.equal(body.status, 400);
  assert.match(((await body.json()) as { message: string }).message, /'description' failed to satisfy constraint: Member must not contain null characters/);
  assert.equal(seen.length, 0);
});

test('REST-JSON: numeric URI labels are numbers; anything else is the malformed-request error', async () => {
  const { seen, handler } = recording();
  const engine = lambdaEngine({ GetLayerVersion: handler });
  const ok = await answerOnce(engine, '/2018-10-31/layers/l/versions/3', {});
  assert.equal(ok.status, 200);
  assert.deepEqual(seen, [{ LayerName: 'l', VersionNumber: 3 }]);
  for (const bad of ['1e5', '%F0%9F%98%80', 'abc', '99999999999999999999']) {
    const res = await answerOnce(engine, `/2018-10-31/layers/l/versions/${bad}`, {});
    assert.equal(res.status, 400, bad);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidRequestContentException', bad);
  }
  assert.equal(seen.length, 1);
});

test('REST-JSON: integers beyond their Java type and invalid timestamps are refused as malformed', async () => {
  const { seen, handler } = recording();
  const engine = lambdaEngine({ PutFunctionConcurrency: handler, ListFunctions: handler });
  const huge = await answerOnce(engine, '/2017-10-31/functions/f/concurrency', {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"ReservedConcurrentExecutions": 1e20}',
  });
  assert.equal(huge.status, 400);
  assert.equal(((await huge.json()) as { message: string }).message, 'Could not parse request body into json: Numeric value (100000000000000000000) out of range of int (-2147483648 - 2147483647)');
  const query = await answerOnce(engine, '/2015-03-31/functions/?MaxItems=99999999999', {});
  assert.equal(query.status, 400);
  assert.equal(seen.length, 0);
  // A timestamp no Date can hold would fail whoever formats it later (toISOString throws).
  const lambda = loadModel('lambda-2015-03-31');
  for (const bad of [1e20, 'not-a-date', true]) assert.throws(() => fromJson(lambda, 'Date', bad), ShapeTypeError);
  assert.deepEqual(fromJson(lambda, 'Date', 1700000000), new Date(1700000000_000));
});

test('JSON 1.1: U+0000 in a member or a map key never reaches a handler, but where the service allows it', async () => {
  const { seen, handler } = recording();
  const engine = new JsonRpcService(loadModel('logs-2014-03-28'), { CreateLogGroup: handler, GetLogEvents: handler }, {
    service: 'logs', maxBody: 1024 * 1024, tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
    invalid: (message) => awsError('InvalidParameterException', message),
  });
  const call = (target: string, body: unknown) => answerOnce(engine, '/', {
    method: 'POST', headers: { 'x-amz-target': `Logs_20140328.${target}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body),
  });
  const nul = await call('CreateLogGroup', { logGroupName: 'g\u0000' });
  assert.equal(nul.status, 400);
  assert.deepEqual(await nul.json(), {
    __type: 'InvalidParameterException', message: "1 validation error detected: Value at 'logGroupName' failed to satisfy constraint: Member must not contain null characters",
  });
  const tags = await call('CreateLogGroup', { logGroupName: 'g', tags: { 'k\u0000': 'v' } });
  assert.equal(tags.status, 400);
  assert.equal(seen.length, 0);
  // Where the service allows it (log messages are stored as bytes), it is let through.
  const messages = new JsonRpcService(loadModel('logs-2014-03-28'), { PutLogEvents: handler }, {
    service: 'logs', maxBody: 1024, tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
    invalid: (message) => awsError('InvalidParameterException', message), nullCharactersAllowedIn: new Set(['logEvents.member.message']),
  });
  const put = await answerOnce(messages, '/', {
    method: 'POST', headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents' },
    body: JSON.stringify({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'a\u0000b' }] }),
  });
  assert.equal(put.status, 200);
  assert.equal(seen.length, 1);
});

test('query protocol: a body of 25,000 members binds in linear time', async () => {
  const { seen, handler } = recording();
  const engine = new QueryService(loadModel('sts-2011-06-15'), { AssumeRole: handler }, 'sts');
  const members = Array.from({ length: 25_000 }, (_, i) => `Tags.member.${i + 1}.Key=k${i}`).join('&');
  const started = Date.now();
  const res = await answerOnce(engine, '/', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::000000000000:role/r&RoleSessionName=s&${members}`,
  });
  assert.equal(res.status, 400); // more than the model's 50 tags
  assert.match(await res.text(), /<Code>ValidationError<\/Code>/);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms (quadratic binding takes seconds)`);
  assert.equal(seen.length, 0);
});

test('input the store cannot hold is the service\'s client error, not a failure on our side', async () => {
  const tooLong: OperationHandler = () => {
    throw new StorageLimitError('A name or identifier in the request is too long to be stored.');
  };
  const lambda = await answerOnce(lambdaEngine({ GetFunction: tooLong }), '/2015-03-31/functions/f', {});
  assert.equal(lambda.status, 400);
  assert.equal(lambda.headers.get('x-amzn-errortype'), 'InvalidParameterValueException');
  assert.deepEqual(await lambda.json(), { Type: 'User', message: 'A name or identifier in the request is too long to be stored.' });
  const logs = new JsonRpcService(loadModel('logs-2014-03-28'), { CreateLogGroup: tooLong }, {
    service: 'logs', maxBody: 1024, tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'), invalid: (message) => awsError('InvalidParameterException', message),
  });
  const answer = await answerOnce(logs, '/', { method: 'POST', headers: { 'x-amz-target': 'Logs_20140328.CreateLogGroup' }, body: '{"logGroupName":"g"}' });
  assert.equal(answer.status, 400);
  assert.equal(answer.headers.get('x-amzn-errortype'), 'InvalidParameterException');
});
