// Each sandboxed environment has its own network namespace (--function-network isolated, the
// default where pasta works): a function cannot reach a service on the host's loopback (a listener
// of this test's, PostgreSQL's 5432) but reaches the server at the AWS_ENDPOINT_URL it is given;
// two environments of one function both listen on the same fixed port; a provided.al2023 custom
// runtime still reaches the Runtime API on loopback; outbound connections to other hosts work
// where the host has them; a host port given with --function-host-ports is reachable;
// `--function-network host` shares the host's network again.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { lookup } from 'node:dns/promises';
import { CreateFunctionCommand, InvokeCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { useServer, type ServerFixture } from '../src/testing/fixture.js';
import { testFunctionRole } from '../src/testing/functions.js';

/** Tries TCP connections to each host:port; answers 'open' or the error code, per target. */
const PROBE_HANDLER = `
const net = require('net');
const tryConnect = (host, port) => new Promise((resolve) => {
  const s = net.connect({ host, port, timeout: 2000 });
  s.on('connect', () => { s.destroy(); resolve('open'); });
  s.on('error', (e) => resolve(e.code));
  s.on('timeout', () => { s.destroy(); resolve('timeout'); });
});
exports.handler = async (event) => {
  const out = {};
  for (const [host, port] of event.targets) out[host + ':' + port] = await tryConnect(host, port);
  if (event.endpoint) {
    const r = await fetch(process.env.AWS_ENDPOINT_URL + '/_stagecraft/health');
    out.endpoint = { url: process.env.AWS_ENDPOINT_URL, status: r.status };
  }
  if (event.lookup) out.lookup = await require('dns').promises.lookup(event.lookup).then((a) => a.address, (e) => e.code);
  return out;
};`;

/** Listens on a fixed port at init (as an extension or a sidecar would), and answers with its own server's reply after a while. */
const FIXED_PORT_HANDLER = `
const http = require('http'), crypto = require('crypto');
const id = crypto.randomUUID();
const listening = new Promise((resolve, reject) => {
  const server = http.createServer((req, res) => res.end(id));
  server.on('error', reject);
  server.listen(Number(process.env.FIXED_PORT), '127.0.0.1', resolve);
});
exports.handler = async () => {
  await listening;
  await new Promise((r) => setTimeout(r, 800));
  const mine = await (await fetch('http://127.0.0.1:' + process.env.FIXED_PORT + '/')).text();
  return { id, mine };
};`;

/** A custom runtime in shell: the Runtime API over curl, on the loopback address it is given. */
const BOOTSTRAP = `#!/bin/sh
set -e
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "$api/next")
  id=$(grep -i '^lambda-runtime-aws-request-id:' "$headers" | tr -d '\\r' | cut -d' ' -f2)
  curl -sS -X POST "$api/$id/response" -d "{\\"custom\\":$event}" >/dev/null
done
`;

async function create(env: ServerFixture, name: string, input: Partial<CreateFunctionCommandInput>, files: { name: string; content: string; mode?: number }[]): Promise<void> {
  await env.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: testFunctionRole, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: await makeZip(files) }, ...input }));
}

async function invoke(env: ServerFixture, name: string, payload: unknown): Promise<any> {
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  const body = Buffer.from(r.Payload!).toString();
  assert.equal(r.FunctionError, undefined, body);
  return JSON.parse(body);
}

/** A TCP listener on the host's loopback, on a port the system picks. */
async function hostListener(): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('error', () => {}); // a function's probe resets it
    s.end('host');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

/** Whether this host reaches a host outside (none in an offline CI): then a function must too. */
async function outside(): Promise<{ host: string; port: number } | undefined> {
  const host = 'registry.npmjs.org';
  const address = await lookup(host).catch(() => undefined);
  if (!address) return undefined;
  const open = await new Promise<boolean>((resolve) => {
    const s = net.connect({ host: address.address, port: 443, timeout: 2000 });
    s.on('connect', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
    s.on('timeout', () => (s.destroy(), resolve(false)));
  });
  return open ? { host, port: 443 } : undefined;
}

/** A host loopback listener environments are given with --function-host-ports (as a local database emulator would be). */
const forwarded = await hostListener();
after(() => forwarded.close());

describe('isolated (the default)', () => {
  const env = useServer({ args: ['--function-host-ports', String(portOf(forwarded))] });
  let listener: net.Server;
  let mode = '';
  before(async () => {
    listener = await hostListener();
  });
  env.setup(async () => {
    const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { functionNetwork: { mode: string } };
    mode = health.functionNetwork.mode;
  });
  /** Whether environments got their own network here; CI installs bubblewrap and pasta, so there the tests never skip. */
  const isolated = (t: TestContext): boolean => {
    if (mode === 'isolated') return true;
    assert.ok(process.env.STAGECRAFT_REQUIRE_SANDBOX !== '1', 'bubblewrap and pasta are required here but environments share the host network');
    t.skip('environments share the host network here (no bubblewrap or no pasta)');
    return false;
  };
  after(() => listener.close());
  env.setup(async () => {
    await create(env, 'net-probe', {}, [{ name: 'index.js', content: PROBE_HANDLER }]);
  });

  test('the health report says environments have their own network', async (t) => {
    if (!isolated(t)) return;
    const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { functionNetwork: { mode: string; reason?: string } };
    assert.deepEqual(health.functionNetwork, { mode: 'isolated' });
  });

  test("a function cannot reach the host's loopback services, but reaches the server at AWS_ENDPOINT_URL", async (t) => {
    if (!isolated(t)) return;
    const port = portOf(listener);
    const out = await invoke(env, 'net-probe', { targets: [['127.0.0.1', port], ['127.0.0.1', 5432], ['localhost', port]], endpoint: true });
    assert.notEqual(out[`127.0.0.1:${port}`], 'open');
    assert.notEqual(out['127.0.0.1:5432'], 'open');
    assert.notEqual(out[`localhost:${port}`], 'open');
    assert.deepEqual(out.endpoint, { url: env.url, status: 200 });
  });

  test('a host loopback port given with --function-host-ports is reachable', async (t) => {
    if (!isolated(t)) return;
    const port = portOf(forwarded);
    const out = await invoke(env, 'net-probe', { targets: [['127.0.0.1', port], ['127.0.0.1', portOf(listener)]] });
    assert.equal(out[`127.0.0.1:${port}`], 'open');
    assert.notEqual(out[`127.0.0.1:${portOf(listener)}`], 'open');
  });

  test('outbound connections and name resolution through the host work (where the host has them)', async (t) => {
    if (!isolated(t)) return;
    const target = await outside();
    if (!target) return t.skip('this host reaches no host outside');
    const out = await invoke(env, 'net-probe', { targets: [[target.host, target.port]], lookup: target.host });
    assert.equal(out[`${target.host}:${target.port}`], 'open');
    assert.match(out.lookup, /^\d+\.\d+\.\d+\.\d+$/);
  });

  test('two environments of a function both listen on the same fixed port', async (t) => {
    if (!isolated(t)) return;
    const fixed = portOf(listener); // busy on the host's loopback too: the environments' own loopbacks are not it
    await create(env, 'net-fixed-port', { Environment: { Variables: { FIXED_PORT: String(fixed) } } }, [{ name: 'index.js', content: FIXED_PORT_HANDLER }]);
    const [a, b] = await Promise.all([invoke(env, 'net-fixed-port', {}), invoke(env, 'net-fixed-port', {})]);
    assert.notEqual(a.id, b.id, 'the two invocations ran in two environments');
    assert.equal(a.mine, a.id);
    assert.equal(b.mine, b.id);
  });

  test('a provided.al2023 custom runtime reaches the Runtime API on loopback', async () => {
    await create(env, 'net-custom', { Runtime: 'provided.al2023', Handler: 'unused' }, [{ name: 'bootstrap', content: BOOTSTRAP, mode: 0o100755 }]);
    assert.deepEqual(await invoke(env, 'net-custom', { n: 1 }), { custom: { n: 1 } });
    assert.deepEqual(await invoke(env, 'net-custom', { n: 2 }), { custom: { n: 2 } });
  });
});

describe('--function-network host', () => {
  const env = useServer({ args: ['--function-network', 'host'] });
  let listener: net.Server;
  before(async () => {
    listener = await hostListener();
  });
  after(() => listener.close());

  test("functions share the host's network: its loopback listener is reachable", async () => {
    const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { functionNetwork: { mode: string } };
    assert.equal(health.functionNetwork.mode, 'host');
    await create(env, 'net-host', {}, [{ name: 'index.js', content: PROBE_HANDLER }]);
    const port = portOf(listener);
    const out = await invoke(env, 'net-host', { targets: [['127.0.0.1', port]] });
    assert.equal(out[`127.0.0.1:${port}`], 'open');
  });
});
