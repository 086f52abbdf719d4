// A minimal HTTP/1.1 client over one keep-alive connection, for timing single requests from the
// benchmark process (cold starts, setup checks) without an SDK in the measured path.
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface TextResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SendOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** A connection of its own instead of the shared kept-alive one (for concurrent requests). */
  ownConnection?: boolean;
}

export function send(url: string, options: SendOptions = {}): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.ownConnection ? false : agent, timeout: options.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const getText = (url: string, headers?: Record<string, string>): Promise<TextResponse> => send(url, { headers });

/** Milliseconds `fn` takes, by the monotonic clock. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
