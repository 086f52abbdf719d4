// Test support: the service behind a VPC link's load balancer — a local HTTP server that answers
// every request with where it came from and what was asked.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PrivateService {
  /** `http://127.0.0.1:{port}` */
  url: string;
  close(): void;
}

export async function startPrivateService(): Promise<PrivateService> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ from: 'private-service', method: req.method, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
