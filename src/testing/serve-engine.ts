// Test support: serves one protocol engine (RestJsonService, JsonRpcService, QueryService) on a
// local port for one request, so protocol tests go over real HTTP without a whole server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestContext } from '../aws/request-context.js';
import type { OperationHandler } from '../aws/protocols/rest-json.js';

export interface Engine {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void>;
}

export async function answerOnce(engine: Engine, path: string, init: RequestInit): Promise<Response> {
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const ctx: RequestContext = { requestId: 'req-1', accountId: '000000000000', region: 'us-east-1', baseUrl: 'http://localhost', sourceIp: '127.0.0.1', userAgent: 'test' };
    void engine.handle(req, res, url, ctx);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, init);
    await res.clone().arrayBuffer();
    return res;
  } finally {
    server.close();
  }
}

/** A handler that records the inputs it got (tests check what reached it, and what must not). */
export function recordingHandler(): { seen: unknown[]; handler: OperationHandler } {
  const seen: unknown[] = [];
  const handler: OperationHandler = (input) => {
    seen.push(input);
    return {};
  };
  return { seen, handler };
}
