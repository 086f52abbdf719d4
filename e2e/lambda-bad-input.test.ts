// Hostile and malformed requests to the Lambda API get AWS-shaped errors; nothing is stored,
// and the server keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand, ListFunctionsCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';

const env = useServer();

const create = (name: string, zip: Buffer) => createNodeFunction(env.lambda, name, zip);

async function raw(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(env.server.url + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text() };
}

test('corrupt zips are refused with AWS message', async () => {
  await expectAwsError(create('bad-zip', Buffer.from('this is not a zip file')), 'InvalidParameterValueException',
    'Could not unzip uploaded file. Please check your file, then try to upload again.');
});

test('zip entries escaping the code directory are refused', async () => {
  const dotdot = await makeZip({ '../evil.js': 'x', 'index.js': 'exports.handler=async()=>1' });
  await expectAwsError(create('zip-dotdot', dotdot), 'InvalidParameterValueException', /outside the code directory/);
  const absolute = await makeZip([{ name: 'index.js', content: 'exports.handler=async()=>1' }, { name: 'tmp/../../etc/passwd', content: 'x' }]);
  await expectAwsError(create('zip-abs', absolute), 'InvalidParameterValueException', /outside the code directory|Could not unzip/);
  const symlink = await makeZip([{ name: 'index.js', content: 'exports.handler=async()=>1' }, { name: 'link', content: '../../../../etc/passwd', mode: 0o120777 }]);
  await expectAwsError(create('zip-symlink', symlink), 'InvalidParameterValueException', /symbolic link 'link' points outside the code directory/);
  const absLink = await makeZip([{ name: 'index.js', content: 'exports.handler=async()=>1' }, { name: 'link', content: '/etc/passwd', mode: 0o120777 }]);
  await expectAwsError(create('zip-abslink', absLink), 'InvalidParameterValueException', /symbolic link/);
  for (const name of ['zip-dotdot', 'zip-abs', 'zip-symlink', 'zip-abslink']) {
    await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException', /Function not found/);
  }
  // A symlink that stays inside is fine.
  const inside = await makeZip([{ name: 'lib/real.js', content: 'module.exports=1' }, { name: 'index.js', content: 'exports.handler=async()=>1' }, { name: 'alias.js', content: 'lib/real.js', mode: 0o120777 }]);
  const ok = await create('zip-inside-link', inside);
  assert.equal(ok.FunctionName, 'zip-inside-link');
});

test('a zip that unzips past 250 MB is refused without extracting it', async () => {
  const big = await makeZip({ 'index.js': 'exports.handler=async()=>1', 'zeros.bin': Buffer.alloc(262_144_001) });
  assert.ok(big.length < 2_000_000, 'compresses well');
  await expectAwsError(create('zip-bomb', big), 'InvalidParameterValueException', 'Unzipped size must be smaller than 262144000 bytes');
});

test('requests over the size limit get RequestEntityTooLargeException', async () => {
  const res = await raw('POST', '/2015-03-31/functions', Buffer.alloc(70_167_212, 32));
  assert.equal(res.status, 413);
  assert.equal(res.type, 'RequestEntityTooLargeException');
  assert.match(res.body, /Request must be smaller than 70167211 bytes for the CreateFunction operation/);
  const zip = await makeZip({ 'index.js': 'x' });
  await create('fn-for-update', zip);
  await expectAwsError(env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-for-update', ZipFile: Buffer.alloc(52_428_801) })), 'RequestEntityTooLargeException',
    'Zipped size must be smaller than 52428800 bytes');
});

test('malformed JSON and mistyped members are InvalidRequestContentException; unknown routes are named', async () => {
  const bad = await raw('POST', '/2015-03-31/functions', '{"FunctionName": ');
  assert.equal(bad.status, 400);
  assert.equal(bad.type, 'InvalidRequestContentException');
  assert.match(JSON.parse(bad.body).message, /^Could not parse request body into json: /);
  const typed = await raw('POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: 'x', Role: testFunctionRole, Code: {}, Timeout: 'ten' }));
  assert.equal(typed.status, 400);
  assert.equal(typed.type, 'InvalidRequestContentException');
  const unknown = await raw('GET', '/2015-03-31/nothing-here');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.type, 'UnknownOperationException');
  const listed = await env.lambda.send(new ListFunctionsCommand({}));
  assert.ok(!listed.Functions!.some((f) => f.FunctionName === 'x'));
});

test('concurrent creates of one name: exactly one wins, the rest conflict', async () => {
  const zip = await makeZip({ 'index.js': 'exports.handler=async()=>1' });
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => create('race-fn', zip)));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'ResourceConflictException');
});
