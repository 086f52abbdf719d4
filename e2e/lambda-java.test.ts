// The java* runtimes end to end through @aws-sdk/client-lambda: functions compiled here by javac
// from e2e/fixtures/java and uploaded as AWS documents them (classes at the zip's root and jars
// under lib/, or one fat jar), RequestHandler / RequestStreamHandler classes and Class::method
// handlers, POJO events and results, System.out and LambdaLogger lines in LogType Tail (text and
// JSON), errors in AWS's Java shape, handler and init errors, a layer's jars and a wrapper script, a
// timeout, unsandboxed, and a REST API's proxy integration with event bean classes.
// Skipped where the host has no JDK, unless STAGECRAFT_REQUIRE_JAVA=1 (CI sets it).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, putLambdaProxyMethod, testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { startServerProcess } from '../src/testing/server.js';
import { lambdaClient } from '../src/testing/aws.js';
import { compileJava, forJava, javaSkip } from '../src/testing/java.js';

const env = useServer();
const SOURCES = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures', 'java');

function sources(dir = SOURCES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, sources(p));
    else out[relative(SOURCES, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

let classes: Record<string, Buffer> = {};
/** The function's classes at the zip's root, the greeting package as lib/greeting.jar. */
let zip: Buffer;
before(async () => {
  if (javaSkip) return;
  classes = await compileJava(sources());
  const own = Object.fromEntries(Object.entries(classes).filter(([k]) => !k.startsWith('greeting/')));
  const lib = Object.fromEntries(Object.entries(classes).filter(([k]) => k.startsWith('greeting/')));
  zip = await makeZip({ ...own, 'lib/greeting.jar': await makeZip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', ...lib }) });
});

async function create(name: string, handler: string, extra: Partial<CreateFunctionCommandInput> = {}, lambda: LambdaClient = env.lambda): Promise<void> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'java17', Handler: handler, Role: testFunctionRole, MemorySize: 256, Timeout: 10, Code: { ZipFile: zip }, ...extra,
  }));
}

async function invoke(name: string, payload: unknown, lambda: LambdaClient = env.lambda, raw = false, clientContext?: unknown) {
  const res = await lambda.send(new InvokeCommand({
    FunctionName: name, LogType: 'Tail', Payload: Buffer.from(raw ? String(payload) : JSON.stringify(payload)),
    ClientContext: clientContext === undefined ? undefined : Buffer.from(JSON.stringify(clientContext)).toString('base64'),
  }));
  const text = Buffer.from(res.Payload!).toString();
  return { res, text, body: JSON.parse(text), log: Buffer.from(res.LogResult!, 'base64').toString() };
}

test('a java17 RequestHandler: context, environment, a jar from lib/, System.out and LambdaLogger lines, warm reuse', { skip: javaSkip }, async () => {
  await create('java-hello', 'example.Hello', {
    Environment: { Variables: { JAVA_TOOL_OPTIONS: '-Dexample.property=from-tool-options' } },
  });
  const first = await invoke('java-hello', { n: 1 }, env.lambda, false, { custom: { k: 'v' }, env: { platform: 'test' } });
  assert.equal(first.res.FunctionError, undefined, first.text);
  const requestId = first.res.$metadata.requestId;
  const { remaining, logStream, cwd, ...fields } = first.body;
  assert.deepEqual(fields, {
    n: 1, requestId, function: 'java-hello', version: '$LATEST', arn: 'arn:aws:lambda:us-east-1:000000000000:function:java-hello',
    memory: 256, logGroup: '/aws/lambda/java-hello', runtime: 'AWS_Lambda_java17',
    toolOptions: '-Dexample.property=from-tool-options', property: 'from-tool-options', greeting: 'hello java', clientContext: { k: 'v' },
  });
  assert.ok(remaining > 5000 && remaining <= 10000, String(remaining));
  assert.match(logStream, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { sandbox: { mode: string } };
  if (health.sandbox.mode === 'bubblewrap') assert.equal(cwd, '/var/task');
  const lines = first.log.split('\n');
  assert.match(lines[0], /^INIT_START Runtime Version: java:17\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  assert.ok(lines.includes('Picked up JAVA_TOOL_OPTIONS: -Dexample.property=from-tool-options'), first.log);
  assert.ok(lines.includes('cold start'), first.log);
  const start = lines.findIndex((l) => l.startsWith('START RequestId: '));
  const end = lines.findIndex((l) => l.startsWith('END RequestId: '));
  const during = lines.slice(start + 1, end);
  for (const line of ['event 1', 'two', 'lines', 'static logger', '[DEBUG] debug detail', '[WARN] careful', 'to stderr']) assert.ok(during.includes(line), first.log);
  assert.match(lines[end + 1], /^REPORT RequestId: .*\tInit Duration: [\d.]+ ms\t$/);

  const warm = await invoke('java-hello', { n: 2 });
  assert.equal(warm.body.n, 2);
  assert.ok(!warm.log.includes('INIT_START') && !warm.log.includes('cold start'), warm.log);
});

test('errors in AWS\'s Java shape: the exception, its cause and stack trace in the response and the log', { skip: javaSkip }, async () => {
  await create('java-fail', 'example.Hello');
  const failed = await invoke('java-fail', { n: -1 });
  assert.equal(failed.res.FunctionError, 'Unhandled');
  assert.deepEqual(Object.keys(failed.body), ['errorMessage', 'errorType', 'stackTrace', 'cause']);
  assert.equal(failed.body.errorMessage, 'bad n');
  assert.equal(failed.body.errorType, 'java.lang.IllegalArgumentException');
  assert.match(failed.body.stackTrace[0], /^example\.Hello\.handleRequest\(Hello\.java:\d+\)$/);
  assert.ok(failed.body.stackTrace.every((f: string) => !f.startsWith('stagecraft.')), failed.text);
  assert.deepEqual([failed.body.cause.errorMessage, failed.body.cause.errorType], ['root cause', 'java.lang.IllegalStateException']);
  assert.ok(failed.log.includes('bad n: java.lang.IllegalArgumentException\njava.lang.IllegalArgumentException: bad n\n\tat example.Hello.handleRequest(Hello.java:'), failed.log);
  assert.ok(failed.log.includes('Caused by: java.lang.IllegalStateException: root cause'), failed.log);
  // The environment stays: the next invocation is warm.
  const next = await invoke('java-fail', { n: 3 });
  assert.equal(next.body.n, 3);
  assert.ok(!next.log.includes('INIT_START'), next.log);
});

test('LogFormat JSON: LambdaLogger records as JSON filtered by ApplicationLogLevel, the error report as an ERROR record', { skip: javaSkip }, async () => {
  await create('java-json', 'example.Hello', { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' } });
  const { res, log } = await invoke('java-json', { n: -1 });
  const lines = log.trim().split('\n');
  const records = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const own = records.filter((r) => !r.type);
  assert.deepEqual(own.map((r) => [r.level, r.message.split('\n')[0]]), [
    ['UNDEFINED', 'two'], ['UNDEFINED', 'static logger'], ['WARN', 'careful'], ['ERROR', 'bad n: java.lang.IllegalArgumentException'],
  ], log);
  const requestId = records.find((r) => r.type === 'platform.start').record.requestId;
  assert.ok(own.every((r) => r.AWSRequestId === requestId && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.timestamp)), log);
  assert.deepEqual(Object.keys(own[2]), ['timestamp', 'message', 'level', 'AWSRequestId']);
  assert.equal(res.FunctionError, 'Unhandled');
  // System.out stays plain text, as on AWS.
  assert.ok(lines.includes('event -1'), log);
});

test('Class::method handlers: POJO in and out, String, a static method with primitives, void, streams', { skip: javaSkip }, async () => {
  await create('java-order', 'example.Handlers::order');
  const order = await invoke('java-order', {
    id: 'o-1', priority: '7', status: 'PAID', unknown: true, placedAt: '2024-01-02T03:04:05.5Z',
    items: [{ sku: 'a', price: 1.5 }, { sku: 'b', price: 2 }, { sku: 'a', price: 0.25 }],
  });
  assert.equal(order.res.FunctionError, undefined, order.text);
  // Null properties left out; an Instant as JavaTimeModule writes it (seconds.nanoseconds).
  assert.equal(order.text, '{"currency":"EUR","orderId":"o-1#7","total":3.75,"skus":["a","b","a"],"counts":{"a":2,"b":1},"status":"PAID","placedAt":1704164645.500000000,"paid":true}');
  // An unknown enum name reads as null; an empty array as a null object.
  assert.match((await invoke('java-order', { id: 'o-2', status: 'LOST', placedAt: [], items: [] })).text, /^\{"currency":"EUR","orderId":"o-2#0","total":0\.0,"skus":\[\],"counts":\{\},"paid":false\}$/);
  // aws-lambda-java-events classes read their capitalised JSON names ("Records").
  await create('java-sqs', 'example.Handlers::sqs');
  assert.deepEqual((await invoke('java-sqs', { Records: [{ messageId: 'm1', body: 'one', eventSource: 'aws:sqs' }, { messageId: 'm2', body: 'two' }] })).body, ['m1=one', 'm2=two']);

  await create('java-mirror', 'example.Handlers::mirror');
  assert.equal((await invoke('java-mirror', { x: 1, y: 2, label: 'p' })).text, '{"x":2,"y":1,"label":"p\'"}');
  assert.equal((await invoke('java-mirror', { x: 3 })).text, '{"x":0,"y":3}');
  await create('java-upper', 'example.Handlers::upper');
  assert.equal((await invoke('java-upper', 'shout')).text, '"SHOUT"');
  await create('java-sum', 'example.Handlers::sum');
  assert.equal((await invoke('java-sum', [1, 2, 3])).text, '6');
  // A single value where a list is expected is a one-element list, as AWS's serializer reads it.
  assert.equal((await invoke('java-sum', 5)).text, '5');
  const parse = await invoke('java-sum', { a: 1 });
  assert.deepEqual([parse.body.errorType, parse.body.errorMessage, parse.body.cause.errorType], ['java.lang.RuntimeException', 'An error occurred during JSON parsing', 'java.io.UncheckedIOException']);

  await create('java-void', 'example.Handlers::nothing');
  const nothing = await invoke('java-void', {});
  assert.equal(nothing.text, 'null');
  assert.ok(nothing.log.includes('nothing to return\n'), nothing.log);
  await create('java-reverse', 'example.Handlers::reverse');
  assert.equal((await invoke('java-reverse', '"abc"', env.lambda, true)).text, '"cba"');
  await create('java-rid', 'example.Handlers::requestId');
  const rid = await invoke('java-rid', {});
  assert.equal(rid.body, rid.res.$metadata.requestId);
  await create('java-echo', 'example.Echo');
  assert.deepEqual((await invoke('java-echo', { a: [1] })).body, { echo: { a: [1] } });
});

test('a fat jar uploaded as the ZipFile runs on java11 and java21 too', { skip: javaSkip }, async () => {
  const fat = await makeZip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', ...classes });
  for (const runtime of ['java11', 'java21', 'java8.al2'] as const) {
    const name = `java-fat-${runtime.replace('.', '-')}`;
    await create(name, 'example.Hello', { Runtime: runtime, Code: { ZipFile: fat } });
    const r = await invoke(name, { n: 4 });
    assert.deepEqual([r.body.runtime, r.body.greeting], [`AWS_Lambda_${runtime}`, 'hello java'], r.text);
  }
});

test('handler errors: class not found and no such method answer each invocation; a failing constructor and a newer class file are init errors', { skip: javaSkip }, async () => {
  await create('java-missing', 'example.Missing');
  const missing = await invoke('java-missing', {});
  assert.equal(missing.res.FunctionError, 'Unhandled');
  assert.deepEqual(missing.body, { errorMessage: 'Class not found: example.Missing', errorType: 'java.lang.ClassNotFoundException' });
  assert.ok(missing.log.includes('Class not found: example.Missing: java.lang.ClassNotFoundException\njava.lang.ClassNotFoundException: example.Missing\n'), missing.log);

  await create('java-nomethod', 'example.Handlers::absent');
  assert.deepEqual((await invoke('java-nomethod', {})).body, { errorMessage: 'No public method named absent with appropriate method signature found on class example.Handlers' });
  await create('java-noiface', 'example.Order');
  assert.deepEqual((await invoke('java-noiface', {})).body, { errorMessage: 'Class does not implement an appropriate handler interface: example.Order' });

  await create('java-broken', 'example.Broken');
  const broken = await invoke('java-broken', {});
  assert.equal(broken.res.FunctionError, 'Unhandled');
  assert.deepEqual(broken.body, { errorMessage: 'missing configuration', errorType: 'java.lang.IllegalStateException' });
  assert.match(broken.log, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.BadFunctionCode\n/);

  // Classes compiled for Java 21 do not load on the host's older JVM (java21 runs on the host's JDK).
  const newer = await makeZip({ ...classes, 'example/Hello.class': forJava(classes['example/Hello.class'], 21) });
  await create('java-newer', 'example.Hello', { Runtime: 'java21', Code: { ZipFile: newer } });
  const tooNew = await invoke('java-newer', {});
  assert.equal(tooNew.body.errorType, 'java.lang.UnsupportedClassVersionError');
  assert.match(tooNew.body.errorMessage, /^Error loading class example\.Hello: example\/Hello has been compiled by a more recent version of the Java Runtime \(class file version 65\.0\)/);
});

test("a layer's java/lib jars are on the class path; AWS_LAMBDA_EXEC_WRAPPER wraps the JVM's command", { skip: javaSkip }, async () => {
  const lib = Object.fromEntries(Object.entries(classes).filter(([k]) => k.startsWith('greeting/')));
  const layer = await env.lambda.send(new PublishLayerVersionCommand({
    LayerName: 'java-libs', CompatibleRuntimes: ['java17'],
    Content: { ZipFile: await makeZip([
      { name: 'java/lib/greeting.jar', content: await makeZip(lib) },
      { name: 'wrapper', content: '#!/bin/sh\nexport JAVA_TOOL_OPTIONS="-Dexample.property=from-wrapper"\nexec "$@"\n', mode: 0o100755 },
    ]) },
  }));
  const own = Object.fromEntries(Object.entries(classes).filter(([k]) => !k.startsWith('greeting/')));
  await create('java-layer', 'example.Hello', {
    Code: { ZipFile: await makeZip(own) }, Layers: [layer.LayerVersionArn!], Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/wrapper' } },
  });
  const r = await invoke('java-layer', { n: 7 });
  assert.deepEqual([r.body.greeting, r.body.property], ['hello java', 'from-wrapper'], r.text);
});

test('a timeout ends the invocation and the JVM; the next invocation starts a new one', { skip: javaSkip }, async () => {
  await create('java-slow', 'example.Hello', { Timeout: 2 });
  const slow = await invoke('java-slow', { n: -2 });
  assert.equal(slow.res.FunctionError, 'Unhandled');
  assert.equal(slow.body.errorType, 'Sandbox.Timedout');
  assert.match(slow.body.errorMessage, /Task timed out after 2\.00 seconds/);
  const next = await invoke('java-slow', { n: 5 });
  assert.equal(next.body.n, 5);
  assert.ok(next.log.includes('INIT_START'), next.log);
});

test('a REST API stage calls a Java function whose event and response are bean classes', { skip: javaSkip }, async () => {
  await create('java-api', 'example.Api');
  const restApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'java-api' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const proxy = await env.apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: '{proxy+}' }));
  await putLambdaProxyMethod(env.apigw, { restApiId, resourceId: proxy.id!, httpMethod: 'ANY' }, 'java-api', { credentials: apiGatewayInvokeRole });
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
  const res = await fetch(`${env.url}/restapis/${restApiId}/dev/_user_request_/orders/7?q=x`, { method: 'POST', body: 'payload', headers: { 'x-test': 'yes' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-stage'), 'dev');
  assert.equal(await res.text(), 'POST /orders/7 proxy=orders/7 q=x ua=yes multi=[yes] body=payload base64=false resource=/{proxy+}');
});

test('unsandboxed (--sandbox off), a java17 function runs from its code directory', { skip: javaSkip }, async () => {
  const server = await startServerProcess({ args: ['--sandbox', 'off', '--prewarm', '0'] });
  try {
    const lambda = lambdaClient(server.url);
    await create('java-open', 'example.Hello', {}, lambda);
    const r = await invoke('java-open', { n: 6 }, lambda);
    assert.equal(r.body.greeting, 'hello java', r.text);
    assert.notEqual(r.body.cwd, '/var/task');
    lambda.destroy();
  } finally {
    await server.stop();
  }
});
