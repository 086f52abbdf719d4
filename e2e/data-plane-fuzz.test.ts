// Data-plane robustness: seeded random raw HTTP requests through every front door — REST API stages
// (AWS_PROXY, AWS with VTL, MOCK, HTTP_PROXY, a Lambda authorizer, an API key, a request validator,
// binary media types, {proxy+}, a custom domain), HTTP APIs (payload 2.0 and 1.0), a WebSocket API's
// handshake and a function URL — sent in parallel over plain sockets. Each answer comes in time (or
// the connection closes, for what breaks HTTP itself), is no 5xx AWS would not answer, holds no
// other request's data, and the echo function's event is well-formed for its format; the server
// stays up and healthy. Live WebSocket connections get seeded random messages too.
// STAGECRAFT_FUZZ_SEED picks another seed, STAGECRAFT_FUZZ_SCALE multiplies the requests,
// STAGECRAFT_FUZZ_ONLY=index[,index…] sends just those raw requests again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { httpCall } from '../src/execute-api/testing.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';
import { Random } from '../src/testing/fuzz/random.js';
import { seedTargets, type Targets } from '../src/testing/fuzz/data-plane/targets.js';
import { buildRequest, type RawRequest } from '../src/testing/fuzz/data-plane/raw-requests.js';
import { exchange } from '../src/testing/fuzz/data-plane/exchange.js';
import { answerProblems } from '../src/testing/fuzz/data-plane/checks.js';

const seed = Number(process.env.STAGECRAFT_FUZZ_SEED ?? 20261127);
const scale = Number(process.env.STAGECRAFT_FUZZ_SCALE ?? 1);
const only = process.env.STAGECRAFT_FUZZ_ONLY ? new Set(process.env.STAGECRAFT_FUZZ_ONLY.split(',').map(Number)) : undefined;
const REQUESTS = Math.round(1200 * scale);
const PARALLEL = 12;
const TIMEOUT_MS = 15_000;

const env = useServer();
let targets: Targets;
env.setup(async () => {
  targets = await seedTargets(env, env.url);
});
after(() => {
  targets?.upstream.closeAllConnections();
  targets?.upstream.close();
});

/** The request as sent, for a failure message: its mutations and its bytes (latin1, JSON-escaped; long runs elided with their length). */
const describe = (index: number, req: RawRequest) => {
  let text = '';
  const raw = req.bytes.toString('latin1');
  for (let i = 0; i < raw.length && text.length < 1500;) {
    let j = i;
    while (j < raw.length && raw[j] === raw[i]) j++;
    text += j - i > 200 ? `${raw[i].repeat(20)}…[${j - i} × ${JSON.stringify(raw[i])}]…` : raw.slice(i, j);
    i = j;
  }
  return `#${index} ${req.door.name} [${req.mutations.join(', ')}] ${req.bytes.length} bytes (replay: STAGECRAFT_FUZZ_SEED=${seed} STAGECRAFT_FUZZ_ONLY=${index}):\n${JSON.stringify(text.slice(0, 1500))}`;
};

test('raw requests through every front door are answered as AWS would, in time, each with its own data', async () => {
  const started = Date.now();
  const port = Number(new URL(env.url).port);
  const rng = new Random(seed);
  const indexes = [...Array(REQUESTS).keys()].filter((i) => !only || only.has(i));
  const failures: string[] = [];
  const byStatus: Record<string, number> = {};
  for (let at = 0; at < indexes.length; at += PARALLEL) {
    await Promise.all(indexes.slice(at, at + PARALLEL).map(async (index) => {
      const r = rng.fork(index);
      const req = buildRequest(r, r.pick(targets.doors), index);
      const answer = await exchange(port, req.bytes, { timeoutMs: TIMEOUT_MS, closeEarly: req.closesEarly, head: req.method === 'HEAD' });
      const key = `${req.door.name} ${answer.hung ? 'hung' : answer.status ?? 'closed'}`;
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      const problems = answerProblems(req, answer);
      if (problems.length) failures.push(`${problems.join('; ')}\n  answer: ${answer.status} ${JSON.stringify(answer.headers['x-amzn-errortype'] ?? '')} ${JSON.stringify(answer.body.toString('latin1').slice(0, 300))}\n  ${describe(index, req)}`);
    }));
    if (at % (PARALLEL * 20) === 0) {
      const health = await httpCall(env.url, '/_stagecraft/health');
      assert.equal(health.status, 200, `unhealthy after request ${at}: ${health.text}`);
    }
  }
  console.log(`# ${indexes.length} raw requests in ${Date.now() - started} ms; ${JSON.stringify(Object.fromEntries(Object.entries(byStatus).sort()))}`);
  assert.equal(env.server.child.exitCode, null, `the server exited:\n${env.server.stderr().slice(-2000)}`);
  assert.equal((await httpCall(env.url, '/_stagecraft/health')).status, 200);
  assert.deepEqual(failures, [], `${failures.length} of ${indexes.length} answers were wrong:\n\n${failures.slice(0, 20).join('\n\n')}`);
});

test('seeded random messages on live WebSocket connections: each connection stays open or closes with a WebSocket close code, and new ones open', async () => {
  const rng = new Random(seed ^ 0x5eed);
  const payloads = [
    () => JSON.stringify({ action: rng.pick(['$default', 'x', '', null, 1, { a: 1 }]), n: rng.int(1000) }),
    () => '{"action": "unterminated',
    () => 'plain text \u0000 \ud800 \u2603',
    () => Buffer.from([0xff, 0xfe, 0x00, 0x80]),
    () => 'x'.repeat(128 * 1024 + rng.int(2)), // around the 128 KB message limit
    () => JSON.stringify({ action: '$default', deep: JSON.parse('['.repeat(500) + ']'.repeat(500)) }),
    () => '',
  ];
  let sent = 0;
  for (let c = 0; c < Math.round(6 * scale); c++) {
    const socket = await openWebSocket(env.url, targets.wsApiId, 'dev');
    socket.ws.on('error', () => undefined);
    for (let m = 0; m < 30 && socket.ws.readyState === socket.ws.OPEN; m++, sent++) socket.ws.send(rng.pick(payloads)());
    await new Promise((r) => setTimeout(r, 200));
    if (socket.ws.readyState === socket.ws.OPEN) socket.ws.close(1000);
    const { code } = await Promise.race([socket.closed, new Promise<{ code: number }>((_, fail) => setTimeout(() => fail(new Error('the connection did not close within 10 s')), 10_000).unref())]);
    // AWS closes on binary frames (1003), text that is not UTF-8 (1007), messages over 128 KB (1009).
    assert.ok([1000, 1001, 1003, 1005, 1007, 1009].includes(code), `connection ${c} closed with ${code}`);
  }
  console.log(`# ${sent} WebSocket messages`);
  assert.equal((await httpCall(env.url, '/_stagecraft/health')).status, 200);
});
