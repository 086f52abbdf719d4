// Blob collection end to end (embedded): the bytes of deleted functions, versions, layer versions,
// S3 objects and finished multipart uploads leave the data dir once older than the grace period;
// what is still referenced stays and keeps working — a deleted layer version a function uses, the
// parts of an upload in progress, the code of a deleted function whose invocation is running — and
// nothing younger than the grace goes, across a restart too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteFunctionCommand, DeleteLayerVersionCommand, InvokeCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { TestServer } from '../src/testing/fixture.js';
import { lambdaClient, s3Client } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { startServerProcess } from '../src/testing/server.js';
import { makeZip } from '../src/testing/zip.js';
import { waitFor } from '../src/testing/wait.js';

const hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const zipOf = (dataDir: string, h: string) => join(dataDir, 'code', 'zips', `${h}.zip`);
const treeOf = (dataDir: string, h: string) => join(dataDir, 'code', 'trees', h);
const payload = (r: { Payload?: Uint8Array }) => JSON.parse(Buffer.from(r.Payload!).toString()) as unknown;

async function invoke(lambda: LambdaClient, name: string): Promise<unknown> {
  const r = await lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(r.FunctionError, undefined, Buffer.from(r.Payload!).toString());
  return payload(r);
}

test('unreferenced zips and trees go after the grace; referenced ones stay and keep working', async () => {
  const env = await TestServer.start({ args: ['--blob-collection', '1500,300'], env: { STAGECRAFT_LOG_LEVEL: 'info' } });
  const dir = env.server.dataDir;
  const s3 = s3Client(env.url);
  try {
    // A layer version deleted while a function still uses it.
    const layerZip = await makeZip({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "hello from the layer";' });
    const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'gc-layer', Content: { ZipFile: layerZip } }));
    await createNodeFunction(env.lambda, 'gc-user', 'exports.handler = async () => require("greeting");', { Layers: [layer.LayerVersionArn!] });
    await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'gc-layer', VersionNumber: layer.Version }));
    assert.equal(await invoke(env.lambda, 'gc-user'), 'hello from the layer');

    // A deleted function; a version deleted while $LATEST moved on.
    const goneZip = await makeZip({ 'index.js': 'exports.handler = async () => "gone";' });
    await createNodeFunction(env.lambda, 'gc-gone', goneZip);
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gc-gone' }));
    const v1Zip = await makeZip({ 'index.js': 'exports.handler = async () => "v1";' });
    const v2Zip = await makeZip({ 'index.js': 'exports.handler = async () => "v2";' });
    await createNodeFunction(env.lambda, 'gc-versions', v1Zip, { Publish: true });
    await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'gc-versions', ZipFile: v2Zip }));
    await env.lambda.send(new PublishVersionCommand({ FunctionName: 'gc-versions' }));
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gc-versions', Qualifier: '1' }));

    // A function deleted while its invocation runs.
    const slowZip = await makeZip({ 'index.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return "finished"; };' });
    await createNodeFunction(env.lambda, 'gc-slow', slowZip, { Timeout: 15 });
    const running = env.lambda.send(new InvokeCommand({ FunctionName: 'gc-slow' }));
    await new Promise((r) => setTimeout(r, 1000));
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gc-slow' }));

    // S3: a deleted object, a kept one, a finished multipart upload (its parts go) and one in progress (its part stays).
    await s3.send(new CreateBucketCommand({ Bucket: 'gc-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'gc-bucket', Key: 'deleted', Body: 'deleted bytes' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'gc-bucket', Key: 'deleted' }));
    await s3.send(new PutObjectCommand({ Bucket: 'gc-bucket', Key: 'kept', Body: 'kept bytes' }));
    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    const done = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'gc-bucket', Key: 'joined' }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: 'gc-bucket', Key: 'joined', UploadId: done.UploadId, PartNumber: 1, Body: big }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: 'gc-bucket', Key: 'joined', UploadId: done.UploadId, PartNumber: 2, Body: 'tail' }));
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'gc-bucket', Key: 'joined', UploadId: done.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
    }));
    const open = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'gc-bucket', Key: 'open' }));
    const openPart = await s3.send(new UploadPartCommand({ Bucket: 'gc-bucket', Key: 'open', UploadId: open.UploadId, PartNumber: 1, Body: 'in progress' }));

    const removed = [hex(goneZip), hex(v1Zip), hex('deleted bytes'), hex(big), hex('tail')];
    const kept = [hex(layerZip), hex(v2Zip), hex('kept bytes'), hex(Buffer.concat([big, Buffer.from('tail')])), hex('in progress')];
    await waitFor('unreferenced zips removed', () => (removed.every((h) => !existsSync(zipOf(dir, h))) ? true : undefined), 15_000);
    for (const h of [hex(goneZip), hex(v1Zip)]) assert.ok(!existsSync(treeOf(dir, h)), 'its tree went too');
    for (const h of kept) assert.ok(existsSync(zipOf(dir, h)), `${h} kept`);
    assert.ok(existsSync(treeOf(dir, hex(layerZip))), 'the deleted layer version a function uses keeps its tree');
    assert.ok(existsSync(treeOf(dir, hex(slowZip))), 'the running invocation keeps its tree');

    const r = await running;
    assert.equal(r.FunctionError, undefined, Buffer.from(r.Payload!).toString());
    assert.equal(payload(r), 'finished');
    // Once its environment is gone (the function's were retired with it), so is its code.
    await waitFor('the finished invocation\'s code removed', () => (existsSync(treeOf(dir, hex(slowZip))) || existsSync(zipOf(dir, hex(slowZip))) ? undefined : true), 15_000);
    assert.equal(await invoke(env.lambda, 'gc-user'), 'hello from the layer');
    assert.equal(await invoke(env.lambda, 'gc-versions'), 'v2');
    assert.equal(await invoke(env.lambda, 'gc-versions:2'), 'v2');
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'gc-bucket', Key: 'kept' }))).Body!.transformToString(), 'kept bytes');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'gc-bucket', Key: 'open', UploadId: open.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: openPart.ETag }] } }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'gc-bucket', Key: 'open' }))).Body!.transformToString(), 'in progress');
    assert.match(env.server.stderr(), /unreferenced blobs removed from the data dir \{"count":\d+,"bytes":\d+\}/);
  } finally {
    s3.destroy();
    await env.stop();
  }
});

test('nothing younger than the grace goes; a restart collects at start', async () => {
  const first = await startServerProcess({ args: ['--blob-collection', '3600000,300'] });
  const lambda = lambdaClient(first.url);
  const zip = await makeZip({ 'index.js': 'exports.handler = async () => "short-lived";' });
  try {
    await createNodeFunction(lambda, 'gc-short', zip);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'gc-short' }));
    await new Promise((r) => setTimeout(r, 1500)); // several collections ran
    assert.ok(existsSync(zipOf(first.dataDir, hex(zip))), 'within the grace the zip stays');
    assert.ok(existsSync(treeOf(first.dataDir, hex(zip))), 'and so does its tree');
  } finally {
    lambda.destroy();
    await first.stop({ remove: false });
  }
  // Started again with a long interval: only the collection at start can remove it.
  const second = await startServerProcess({ dataDir: first.dataDir, args: ['--blob-collection', '0,3600000'] });
  try {
    await waitFor('the collection at start', () => (existsSync(zipOf(second.dataDir, hex(zip))) ? undefined : true), 10_000);
    assert.ok(!existsSync(treeOf(second.dataDir, hex(zip))));
  } finally {
    await second.stop();
  }
});
