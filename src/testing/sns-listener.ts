// Test support: an HTTP endpoint for SNS subscriptions that records every POST (headers and body)
// and answers with the status `fail` decides (500 for the first failures, to see retries).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost { path: string; headers: IncomingHttpHeaders; body: string }

export class SnsListener {
  readonly received: ReceivedPost[] = [];
  /** How many more POSTs to answer with a 500. */
  failNext = 0;
  readonly #failByPath = new Map<string, number>();
  #server?: Server;

  /** Answers the next `count` POSTs to `path` with a 500 (besides `failNext`). */
  failOn(path: string, count: number): void {
    this.#failByPath.set(path, count);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const path = req.url ?? '/';
        const forPath = this.#failByPath.get(path) ?? 0;
        const fail = this.failNext > 0 || forPath > 0;
        if (forPath > 0) this.#failByPath.set(path, forPath - 1);
        else if (fail) this.failNext--;
        res.writeHead(fail ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The JSON bodies posted to `path` so far. */
  bodies(path: string): Record<string, any>[] {
    return this.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, any>);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
