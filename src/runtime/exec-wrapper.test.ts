// AWS_LAMBDA_EXEC_WRAPPER in an environment: sandboxed and not (the /opt path mapped to the
// layers' host directory), over the private channel and the HTTP Runtime API, alone and with an
// external extension in front; no pre-started cell is used for such functions.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { hostWrapperPath, wrappedCommand } from './exec-wrapper.js';
import { EXTENSION, TempDirs, TestPools, json, request, specFor } from './testing.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs);

after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

const HANDLER = `
const fs = require('fs'), os = require('os');
exports.handler = async () => ({
  by: process.env.WRAPPED_BY,
  events: fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('events-')),
});`;

async function layer(withExtension: boolean): Promise<string> {
  const files: Record<string, string> = { wrapper: '#!/bin/sh\nexport WRAPPED_BY=wrapper\nexec "$@"\n' };
  if (withExtension) files['extensions/ext-a'] = EXTENSION;
  const opt = await dirs.code(files);
  await chmod(path.join(opt, 'wrapper'), 0o755);
  if (withExtension) await chmod(path.join(opt, 'extensions', 'ext-a'), 0o755);
  return opt;
}

it('the wrapper gets the runtime command as its arguments; unsandboxed /opt and /var/task paths are the host directories', () => {
  assert.deepEqual(wrappedCommand('/opt/w', { file: '/usr/bin/node', args: ['--x', '/var/runtime/bootstrap.mjs'] }), {
    file: '/bin/sh',
    args: ['-c', 'exec "$@"', '/var/runtime/bootstrap', '/opt/w', '/usr/bin/node', '--x', '/var/runtime/bootstrap.mjs'],
  });
  assert.equal(hostWrapperPath('/opt/bin/w', undefined), '/opt/bin/w');
  assert.equal(hostWrapperPath('/opt/bin/w', { optRoot: '/data/opt-1', taskRoot: '/data/code' }), '/data/opt-1/bin/w');
  assert.equal(hostWrapperPath('/var/task/w', { optRoot: '/data/opt-1', taskRoot: '/data/code' }), '/data/code/w');
  assert.equal(hostWrapperPath('/usr/local/bin/w', { optRoot: '/data/opt-1', taskRoot: '/data/code' }), '/usr/local/bin/w');
});

for (const sandbox of ['auto', 'off'] as const) {
  describe(`AWS_LAMBDA_EXEC_WRAPPER (sandbox ${sandbox})`, () => {
    for (const privateChannel of [true, false]) {
      // Over the private channel the bootstrap takes its invocations on the inherited fds 3 and 4: had
      // they not survived the wrapper's exec, init would fail.
      it(`runs the runtime through the wrapper (${privateChannel ? 'private channel' : 'HTTP Runtime API'}), with and without an extension`, async () => {
        const pool = await pools.start({ sandbox, privateChannel, prewarm: 1 });
        for (const withExtension of [false, true]) {
          const spec = specFor(await dirs.code({ 'index.js': HANDLER }), { optDir: await layer(withExtension), memorySize: 256, environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/wrapper' } });
          for (let i = 0; i < 2; i++) {
            const r = await pool.invoke(spec, request());
            assert.equal(r.functionError, undefined, r.payload.toString());
            const out = json(r.payload);
            assert.equal(out.by, 'wrapper');
            assert.deepEqual(out.events, withExtension ? ['events-ext-a.jsonl'] : []);
            if (i === 0) assert.ok(r.initDurationMs! > 0);
          }
        }
      });
    }

    it('a wrapper in /var/task, without layers: the function starts fresh, not from a pre-started cell (which would skip the wrapper)', async () => {
      const pool = await pools.start({ sandbox, prewarm: 1 });
      const code = await dirs.code({ 'index.js': HANDLER, wrapper: '#!/bin/sh\nexport WRAPPED_BY=task-wrapper\nexec "$@"\n' });
      await chmod(path.join(code, 'wrapper'), 0o755);
      await new Promise((r) => setTimeout(r, 300)); // the cell is ready by now
      const r = await pool.invoke(specFor(code, { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper' } }), request());
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload).by, 'task-wrapper');
    });
  });
}
