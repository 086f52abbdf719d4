// AWS_LAMBDA_EXEC_WRAPPER end to end: a layer ships /opt/wrapper (exports a variable, records its
// arguments, execs the runtime); Node.js and Python functions that name it see the variable, and
// the wrapper got the runtime's command line; a wrapper that runs the runtime without exec works
// too; a wrapper that is not executable, or missing, fails init with Runtime.ExitError; a
// provided.al2023 function ignores the variable, as on AWS; the AWS CLI walkthrough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { testFunctionRole } from '../src/testing/functions.js';

const env = useServer();
let layerArn = '';

const WRAPPER = '#!/bin/sh\nexport WRAPPED_BY=wrapper\nexport WRAPPER_ARGS="$*"\nexec "$@"\n';
const FORKING_WRAPPER = '#!/bin/sh\nexport WRAPPED_BY=forking-wrapper\n"$@"\n';

env.setup(async () => {
  const zip = await makeZip([
    { name: 'wrapper', content: WRAPPER, mode: 0o100755 },
    { name: 'forking-wrapper', content: FORKING_WRAPPER, mode: 0o100755 },
    { name: 'not-executable', content: WRAPPER, mode: 0o100644 },
  ]);
  layerArn = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'wrappers', Content: { ZipFile: zip } }))).LayerVersionArn!;
});

const NODE_HANDLER = 'exports.handler = async () => ({ by: process.env.WRAPPED_BY, args: process.env.WRAPPER_ARGS });';
const PYTHON_HANDLER = 'import os\n\ndef lambda_handler(event, context):\n    return {"by": os.environ.get("WRAPPED_BY"), "args": os.environ.get("WRAPPER_ARGS")}\n';

async function create(name: string, wrapper: string, input: Partial<CreateFunctionCommandInput>, files: Record<string, string>): Promise<void> {
  const entries = Object.entries(files).map(([n, content]) => ({ name: n, content, mode: n === 'bootstrap' ? 0o100755 : 0o100644 }));
  await env.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: testFunctionRole,
      Layers: [layerArn],
      Code: { ZipFile: await makeZip(entries) },
      Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: wrapper } },
      ...input,
    } as CreateFunctionCommandInput),
  );
}

async function invoke(name: string): Promise<{ payload: any; error: string | undefined; log: string }> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}'), LogType: 'Tail' }));
  return { payload: JSON.parse(Buffer.from(out.Payload!).toString()), error: out.FunctionError, log: Buffer.from(out.LogResult ?? '', 'base64').toString() };
}

test('a Node.js function started through /opt/wrapper sees its variable; the wrapper got node, its flags and the bootstrap', async () => {
  await create('wrap-node', '/opt/wrapper', { Runtime: 'nodejs20.x', Handler: 'index.handler', MemorySize: 256 }, { 'index.js': NODE_HANDLER });
  for (let i = 0; i < 2; i++) {
    const r = await invoke('wrap-node');
    assert.equal(r.error, undefined, JSON.stringify(r.payload));
    assert.equal(r.payload.by, 'wrapper');
    assert.match(r.payload.args, /node --max-old-space-size=230 \S*\/bootstrap\.mjs$/);
  }
});

test('a Python function through /opt/wrapper', async () => {
  await create('wrap-python', '/opt/wrapper', { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' }, { 'lambda_function.py': PYTHON_HANDLER });
  const r = await invoke('wrap-python');
  assert.equal(r.error, undefined, JSON.stringify(r.payload));
  assert.equal(r.payload.by, 'wrapper');
  assert.match(r.payload.args, /python3\S* -u -X utf8 \S*\/bootstrap\.py$/);
});

test('a wrapper that runs the runtime without exec: the runtime, its child, still inherits everything and works', async () => {
  await create('wrap-fork', '/opt/forking-wrapper', { Runtime: 'nodejs20.x', Handler: 'index.handler' }, { 'index.js': NODE_HANDLER });
  for (let i = 0; i < 2; i++) {
    const r = await invoke('wrap-fork');
    assert.equal(r.error, undefined, JSON.stringify(r.payload));
    assert.equal(r.payload.by, 'forking-wrapper');
  }
});

test('a wrapper that is not executable, or missing, fails init with Runtime.ExitError', async () => {
  await create('wrap-noexec', '/opt/not-executable', { Runtime: 'nodejs20.x', Handler: 'index.handler' }, { 'index.js': NODE_HANDLER });
  const r = await invoke('wrap-noexec');
  assert.equal(r.error, 'Unhandled');
  assert.equal(r.payload.errorType, 'Runtime.ExitError');
  assert.match(r.payload.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: exit status 126$/);
  assert.match(r.log, /\/opt\/not-executable: Permission denied/);
  assert.match(r.log, /INIT_REPORT Init Duration: \S+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError/);

  await create('wrap-missing', '/opt/missing', { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' }, { 'lambda_function.py': PYTHON_HANDLER });
  const m = await invoke('wrap-missing');
  assert.equal(m.payload.errorType, 'Runtime.ExitError');
  assert.match(m.payload.errorMessage, /exit status 127$/);
  assert.match(m.log, /\/opt\/missing: not found/);
});

test('a provided.al2023 function ignores AWS_LAMBDA_EXEC_WRAPPER, as on AWS', async () => {
  const bootstrap = `#!/bin/sh
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
while true; do
  id=$(curl -sS -D - -o /dev/null "$api/next" | tr -d '\\r' | sed -n 's/^[Ll]ambda-[Rr]untime-[Aa]ws-[Rr]equest-[Ii]d: //p')
  curl -sS -o /dev/null -X POST "$api/$id/response" -d "{\\"by\\":\\"\${WRAPPED_BY:-none}\\"}"
done
`;
  await create('wrap-custom', '/opt/wrapper', { Runtime: 'provided.al2023', Handler: 'unused' }, { bootstrap });
  const r = await invoke('wrap-custom');
  assert.equal(r.error, undefined, JSON.stringify(r.payload));
  assert.deepEqual(r.payload, { by: 'none' });
});

test('AWS CLI: create-function --environment AWS_LAMBDA_EXEC_WRAPPER=/opt/wrapper --layers, invoke', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cli-wrapper-'));
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': NODE_HANDLER }));
  const created = await cli('lambda', 'create-function', '--function-name', 'wrap-cli', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--zip-file', 'fileb://function.zip', '--layers', layerArn, '--environment', 'Variables={AWS_LAMBDA_EXEC_WRAPPER=/opt/wrapper}');
  assert.equal(created.code, 0, created.stderr);
  const out = join(dir, 'out.json');
  const invoked = await cli('lambda', 'invoke', '--function-name', 'wrap-cli', out);
  assert.equal(invoked.code, 0, invoked.stderr);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).by, 'wrapper');
});
