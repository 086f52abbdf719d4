// The floor for process isolation: a bare Node.js http server that hands every request, as a small
// JSON event, to a worker process over a pipe and answers with what the worker returns. One hop
// each way and nothing else — no routing, no logs, no sandbox. Workers run one request at a time,
// as execution environments do; there is one per CPU and requests queue for them.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { HELLO_CONTENT_TYPE } from '../lib/hello.js';

if (process.argv[2] === 'worker') runWorker();
else runServer();

/** Frames on the pipes: a 4-byte big-endian length, then that many bytes of JSON. */
function frame(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(json.length);
  return Buffer.concat([header, json]);
}

function onFrames(stream: NodeJS.ReadableStream, handle: (value: unknown) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      handle(JSON.parse(pending.subarray(4, 4 + length).toString('utf8')));
      pending = pending.subarray(4 + length);
    }
  });
}

function runWorker(): void {
  onFrames(process.stdin, () => {
    process.stdout.write(frame({ statusCode: 200, body: 'Hello from Lambda!' }));
  });
}

interface Worker {
  child: ChildProcess;
  answer?: (result: { statusCode: number; body: string }) => void;
}

function runServer(): void {
  const idle: Worker[] = [];
  const queue: ((w: Worker) => void)[] = [];
  const release = (w: Worker): void => {
    const next = queue.shift();
    if (next) next(w);
    else idle.push(w);
  };
  for (let i = 0; i < availableParallelism(); i++) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'worker'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const worker: Worker = { child };
    onFrames(child.stdout!, (result) => {
      const answer = worker.answer!;
      worker.answer = undefined;
      release(worker);
      answer(result as { statusCode: number; body: string });
    });
    idle.push(worker);
  }

  const respond = (res: ServerResponse, result: { statusCode: number; body: string }): void => {
    const body = Buffer.from(result.body);
    res.writeHead(result.statusCode, { 'Content-Type': HELLO_CONTENT_TYPE, 'Content-Length': body.length });
    res.end(body);
  };
  const server = createServer((req, res) => {
    req.resume();
    const event = { httpMethod: req.method, path: req.url, headers: req.headers };
    const send = (w: Worker): void => {
      w.answer = (result) => respond(res, result);
      w.child.stdin!.write(frame(event));
    };
    const w = idle.pop();
    if (w) send(w);
    else queue.push(send);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`one-hop node listening on http://127.0.0.1:${port}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
