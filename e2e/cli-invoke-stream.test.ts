// `stagecraft invoke --stream`: a streaming handler's writes are printed as they arrive, the
// closing line says how the invocation ended, and a failure after part of the answer exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { runCli, startCli } from '../src/cli/testing.js';

const env = useServer();

const STREAMING = `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.write('first line\\n');
  await new Promise((r) => setTimeout(r, 1500));
  stream.write('second line');
  if (event.fail) throw new Error('stopped halfway');
  stream.end();
});`;

env.setup(() => createNodeFunction(env.lambda, 'cli-streamer', STREAMING, { Timeout: 10 }).then(() => undefined));

test('stagecraft invoke --stream prints each part as the function writes it', async () => {
  const cli = startCli(['invoke', 'cli-streamer', '--stream'], { endpoint: env.url });
  await cli.waitFor('first line\n');
  assert.ok(!cli.stdout().includes('second line'), 'the first part is printed before the function has written the second');
  await cli.interrupt();
  const whole = await runCli(['invoke', 'cli-streamer', '--stream', '--logs'], { endpoint: env.url });
  assert.equal(whole.code, 0, whole.output);
  assert.equal(whole.stdout, 'first line\nsecond line\n');
  assert.match(whole.stderr, /--- log tail ---/);
  assert.match(whole.stderr, /cli-streamer · version \$LATEST · status 200 · \d+ ms · streamed/);
});

test('a failure after part of the answer is reported and exits 1; --stream with --json is refused', async () => {
  const failed = await runCli(['invoke', 'cli-streamer', '--stream', '--payload', '{"fail":true}'], { endpoint: env.url });
  assert.equal(failed.code, 1);
  assert.equal(failed.stdout, 'first line\nsecond line\n');
  assert.match(failed.stderr, /cli-streamer failed \(Error: stopped halfway\)/);
  const refused = await runCli(['invoke', 'cli-streamer', '--stream', '--json'], { endpoint: env.url });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--stream cannot be combined with --json/);
});
