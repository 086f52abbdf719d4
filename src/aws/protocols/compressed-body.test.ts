// Bodies sent with `Content-Encoding: gzip` (botocore and SDK v3 compress CloudWatch PutMetricData
// past 10 KB) are decompressed by every protocol engine before binding; a body that is not gzip is
// the service's malformed-request error, and one that inflates past the limit is too large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadModel } from '../model.js';
import { awsError } from '../../core/errors.js';
import { RestJsonService } from './rest-json.js';
import { JsonRpcService } from './json-rpc.js';
import { QueryService } from './query.js';
import { answerOnce, recordingHandler as recording } from '../../testing/serve-engine.js';

const LIMIT = 4096;
const gzip = (text: string) => gzipSync(Buffer.from(text));
const bomb = gzipSync(Buffer.alloc(LIMIT * 10, 0x20));

test('REST-JSON: a gzip body is bound decompressed; not gzip is the malformed-body error; past the limit is too large', async () => {
  const { seen, handler } = recording();
  const engine = new RestJsonService(loadModel('lambda-2015-03-31'), { CreateAlias: handler }, {
    service: 'lambda',
    maxBody: () => LIMIT,
    tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
    malformedBody: (detail) => awsError('InvalidRequestContentException', `Could not parse request body into json: ${detail}`),
    invalid: (message) => awsError('ValidationException', message),
  });
  const post = (body: Buffer) => answerOnce(engine, '/2015-03-31/functions/f/aliases', {
    method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body,
  });
  assert.equal((await post(gzip(JSON.stringify({ Name: 'live', FunctionVersion: '1' })))).status, 201);
  assert.deepEqual(seen, [{ FunctionName: 'f', Name: 'live', FunctionVersion: '1' }]);
  const plain = await post(Buffer.from('{"Name":"live","FunctionVersion":"1"}'));
  assert.equal(plain.status, 400);
  assert.equal(plain.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
  assert.match(((await plain.json()) as { message: string }).message, /^Could not parse request body into json: The request body could not be decompressed/);
  assert.equal((await post(bomb)).headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
  assert.equal(seen.length, 1);
});

test('JSON 1.1: a gzip body is read decompressed; not gzip is a SerializationException', async () => {
  const { seen, handler } = recording();
  const engine = new JsonRpcService(loadModel('logs-2014-03-28'), { CreateLogGroup: handler }, {
    service: 'logs', maxBody: LIMIT, tooLarge: () => awsError('RequestEntityTooLargeException', 'too large'),
    invalid: (message) => awsError('InvalidParameterException', message),
  });
  const post = (body: Buffer) => answerOnce(engine, '/', {
    method: 'POST', headers: { 'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'application/x-amz-json-1.1', 'content-encoding': 'gzip' }, body,
  });
  assert.equal((await post(gzip('{"logGroupName":"zipped"}'))).status, 200);
  assert.deepEqual(seen, [{ logGroupName: 'zipped' }]);
  const plain = await post(Buffer.from('{"logGroupName":"plain"}'));
  assert.equal(plain.status, 400);
  assert.equal(((await plain.json()) as { __type: string }).__type, 'SerializationException');
  assert.equal((await post(bomb)).status, 413);
  assert.equal(seen.length, 1);
});

test('query: a gzip form body is bound decompressed; not gzip is a ValidationError', async () => {
  const { seen, handler } = recording();
  const engine = new QueryService(loadModel('sts-2011-06-15'), { GetCallerIdentity: handler }, 'sts');
  const post = (body: Buffer) => answerOnce(engine, '/', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-encoding': 'gzip' }, body,
  });
  assert.equal((await post(gzip('Action=GetCallerIdentity&Version=2011-06-15'))).status, 200);
  assert.equal(seen.length, 1);
  const plain = await post(Buffer.from('Action=GetCallerIdentity&Version=2011-06-15'));
  assert.equal(plain.status, 400);
  assert.match(await plain.text(), /<Code>ValidationError<\/Code><Message>The request body could not be decompressed/);
  assert.equal(seen.length, 1);
});
