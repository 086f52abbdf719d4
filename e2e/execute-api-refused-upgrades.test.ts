// Upgrade requests answered with a plain HTTP response (a WebSocket handshake refused, an `h2c`
// upgrade served as the ordinary request it also is): once the client closes, the server's socket
// closes too — none is held open for good, and a stop still finishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { TestServer } from '../src/testing/fixture.js';

const BIG = 'x'.repeat(2 * 1024 * 1024);

/** Sends `request`, waits for the answer's head, and closes the client's side; resolves with the status line. */
function answerThenLeave(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(seen.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
  });
}

test('refused and plain-answered upgrades close with their clients; the server still stops promptly', async () => {
  const env = await TestServer.start();
  const port = Number(new URL(env.url).port);
  const wsApiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'refused', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await env.apigwv2.send(new CreateStageCommand({ ApiId: wsApiId, StageName: 'dev' }));
  const handshake = (version: string) => `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: ${version}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
  const answers = [];
  for (let i = 0; i < 3; i++) {
    answers.push(await answerThenLeave(port, `GET /dev HTTP/1.1\r\nHost: ${wsApiId}.execute-api.localhost:${port}\r\n${handshake('8')}`));
    answers.push(await answerThenLeave(port, `GET /nostage HTTP/1.1\r\nHost: ${wsApiId}.execute-api.localhost:${port}\r\n${handshake('13')}`));
    // More than a socket buffers unread follows the head: reading stops, and only reading sees the client leave.
    answers.push(await answerThenLeave(port, `POST /dev HTTP/1.1\r\nHost: ${wsApiId}.execute-api.localhost:${port}\r\nContent-Length: ${BIG.length}\r\n${handshake('8')}${BIG}`));
    answers.push(await answerThenLeave(port, `POST /dev HTTP/1.1\r\nHost: ${wsApiId}.execute-api.localhost:${port}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nContent-Length: ${BIG.length}\r\n\r\n${BIG}`));
    answers.push(await answerThenLeave(port, `GET /dev HTTP/1.1\r\nHost: nosuchapi.execute-api.localhost:${port}\r\n${handshake('13')}`));
    answers.push(await answerThenLeave(port, `GET /_stagecraft/health HTTP/1.1\r\nHost: localhost:${port}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n`));
  }
  assert.ok(answers.every((a) => /^HTTP\/1\.1 [24]\d\d /.test(a)), answers.join(' | '));
  const started = Date.now();
  // With the sockets left open, the stop waited for them forever.
  await Promise.race([env.stop(), new Promise((_, fail) => setTimeout(() => fail(new Error('the server did not stop within 15 s')), 15_000).unref())]);
  assert.ok(Date.now() - started < 8_000, `the stop took ${Date.now() - started} ms`);
});
