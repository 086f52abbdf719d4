// The Runtime API over HTTP/1.1 keep-alive at AWS_LAMBDA_RUNTIME_API, as on AWS. Imported only
// when the private channel does not carry invocations: loading node:http costs every cold start.
import * as http from 'node:http';
import { toRapidError } from './errors.mjs';
import type { Invocation, RuntimeClient } from './invoke-loop.mjs';

/** The Runtime API over HTTP/1.1 keep-alive, as AWS's runtime clients use it. */
export class HttpRuntimeClient implements RuntimeClient {
  readonly #host: string;
  readonly #port: number;
  readonly #prefix: string;
  readonly #agent: http.Agent;

  constructor(endpoint: string) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const slash = endpoint.indexOf('/');
    const hostPort = slash === -1 ? endpoint : endpoint.slice(0, slash);
    this.#prefix = slash === -1 ? '' : endpoint.slice(slash).replace(/\/+$/, '');
    const colon = hostPort.lastIndexOf(':');
    this.#host = hostPort.slice(0, colon);
    this.#port = Number(hostPort.slice(colon + 1));
  }

  async next(): Promise<Invocation> {
    const res = await this.#request('GET', '/2018-06-01/runtime/invocation/next');
    const h = res.headers;
    const str = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
    const requestId = str(h['lambda-runtime-aws-request-id']);
    if (!requestId) throw new Error('Runtime API returned an invocation without a request id');
    return {
      requestId,
      deadlineMs: Number(h['lambda-runtime-deadline-ms']),
      invokedFunctionArn: str(h['lambda-runtime-invoked-function-arn']) ?? '',
      traceId: str(h['lambda-runtime-trace-id']),
      clientContext: str(h['lambda-runtime-client-context']),
      cognitoIdentity: str(h['lambda-runtime-cognito-identity']),
      body: res.body,
    };
  }

  async response(requestId: string, body: string | Buffer): Promise<void> {
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body);
  }

  async error(requestId: string, error: unknown): Promise<void> {
    const body = toRapidError(error);
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
    });
  }

  async initError(error: unknown): Promise<void> {
    const body = toRapidError(error);
    await this.#request('POST', '/2018-06-01/runtime/init/error', JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
    });
  }

  #request(method: string, p: string, body?: string | Buffer, extra?: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...extra };
      const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (payload) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = payload.length;
      }
      const req = http.request(
        { host: this.#host, port: this.#port, path: this.#prefix + p, method, headers, agent: this.#agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 500 || (method === 'GET' && status !== 200)) {
              reject(new Error(`Runtime API ${method} ${p} answered ${status}`));
            } else {
              resolve({ headers: res.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
            }
          });
          res.on('error', reject);
        },
      );
      req.on('socket', (s) => s.setNoDelay(true));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

const headerSafe = (v: string): string => v.replace(/[^\x20-\x7e]/g, '');
