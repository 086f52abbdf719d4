// The floor: a bare Node.js http server answering the hello body on 127.0.0.1, nothing else.
import { createServer } from 'node:http';
import { HELLO_BODY, HELLO_CONTENT_TYPE } from '../lib/hello.js';

const body = Buffer.from(HELLO_BODY);
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'Content-Type': HELLO_CONTENT_TYPE, 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`bare node listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
