// Reading request bodies: a client that disconnects mid-body is told apart from a server fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, RequestAbortedError } from './body.js';

test('a body cut short by the client rejects with RequestAbortedError', async () => {
  let outcome: Promise<unknown> | undefined;
  const arrived = new Promise<void>((resolve) => {
    const server = createServer((req) => {
      outcome = readBody(req, 1000).finally(() => server.close());
      resolve();
    });
    server.listen(0, '127.0.0.1', () => {
      const client = request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': 100 } });
      client.on('error', () => {});
      client.write('12345', () => setTimeout(() => client.destroy(), 50));
    });
  });
  await arrived;
  await assert.rejects(outcome!, RequestAbortedError);
});
