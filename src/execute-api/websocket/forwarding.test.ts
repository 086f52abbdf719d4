// NodeForwarder against plain local servers: the call arrives as sent (method, path, headers,
// Host, body) and marked; the answer comes back as given; a node that refuses or stays silent is
// reported unreachable with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FORWARDED_HEADER, NodeForwarder } from './forwarding.js';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A front node that forwards every call it gets to `nodeUrl`, answering 410 when that node is unreachable. */
async function front(forwarder: NodeForwarder, nodeUrl: string) {
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void forwarder.forward({ req, body: Buffer.concat(chunks), nodeUrl, from: 'node-b' }, res).then((relayed) => {
      if (!relayed) res.writeHead(410).end();
    }));
  });
}

function call(url: string, path: string, options: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((ok, fail) => {
    const out = request(`${url}${path}`, { method: options.method, headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, text }));
    });
    out.on('error', fail);
    out.end(options.body);
  });
}

test('a forwarded call reaches the holder as sent, marked, and its answer comes back as given', async () => {
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;
  const holder = await listen((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(202, { 'x-amzn-RequestId': 'r-1', 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  const forwarder = new NodeForwarder();
  const b = await front(forwarder, holder.url + '/');
  try {
    for (let n = 0; n < 3; n++) {
      const answer = await call(b.url, '/restapis/abc/live/_user_request_/@connections/X%3D?q=1', {
        method: 'POST', headers: { Host: 'abc.execute-api.localhost:9', Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/execute-api/aws4_request', 'X-Amz-Date': '20260101T000000Z' }, body: `hello ${n}`,
      });
      assert.equal(answer.status, 202);
      assert.equal(answer.headers['x-amzn-requestid'], 'r-1');
      assert.equal(answer.text, '{"ok":true}');
      assert.equal(seen?.method, 'POST');
      assert.equal(seen?.url, '/restapis/abc/live/_user_request_/@connections/X%3D?q=1');
      assert.equal(seen?.headers.host, 'abc.execute-api.localhost:9');
      assert.equal(seen?.headers.authorization, 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/execute-api/aws4_request');
      assert.equal(seen?.headers['x-amz-date'], '20260101T000000Z');
      assert.equal(seen?.headers[FORWARDED_HEADER], 'node-b');
      assert.equal(seen?.body, `hello ${n}`);
    }
  } finally {
    forwarder.close();
    b.server.close();
    holder.server.close();
  }
});

test('a holder that refuses connections or stays silent is unreachable', async () => {
  const gone = await listen(() => undefined);
  const goneUrl = gone.url;
  await new Promise((ok) => gone.server.close(ok));
  const silent = await listen(() => undefined);
  const forwarder = new NodeForwarder({ timeoutMs: 300 });
  const refusedFront = await front(forwarder, goneUrl);
  const silentFront = await front(forwarder, silent.url);
  try {
    assert.equal((await call(refusedFront.url, '/@connections/X', { method: 'GET', headers: {} })).status, 410);
    const started = Date.now();
    assert.equal((await call(silentFront.url, '/@connections/X', { method: 'GET', headers: {} })).status, 410);
    assert.ok(Date.now() - started < 3000);
  } finally {
    forwarder.close();
    refusedFront.server.close();
    silentFront.server.close();
    silent.server.closeAllConnections();
    silent.server.close();
  }
});
