// Test support: signs a fuzzed request as the SDK would (SigV4, the service's signing name) and
// sends it as is over node:http, which (unlike fetch) keeps hostile paths unnormalised.
import { request, Agent } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { testCredentials, testRegion } from '../server.js';
import { queryString, type WireRequest } from './wire.js';

/** node:crypto behind the Hash interface SignatureV4 wants (sha256-js is slow on 1 MB bodies). */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const signers = new Map<string, SignatureV4>();

function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function sendSigned(baseUrl: string, signingName: string, wire: WireRequest): Promise<WireResponse> {
  const url = new URL(baseUrl);
  let signer = signers.get(signingName);
  if (!signer) signers.set(signingName, (signer = new SignatureV4({ credentials: testCredentials, region: testRegion, service: signingName, sha256: NodeSha256 })));
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of wire.query) {
    const key = decodeLoosely(k);
    const prev = query[key];
    query[key] = prev === undefined ? decodeLoosely(v) : [...(Array.isArray(prev) ? prev : [prev]), decodeLoosely(v)];
  }
  // As the SDKs sign REST paths: the path as sent (already percent-encoded), escaped once more.
  const signed = await signer.sign({
    method: wire.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: wire.path, query,
    headers: { ...wire.headers, host: url.host, 'content-length': String(wire.body.length) }, body: wire.body,
  });
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, method: wire.method, path: wire.path + queryString(wire.query), agent,
      headers: signed.headers as Record<string, string>,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.end(wire.body);
  });
}

/** Closes the kept-alive sockets (so the test process can exit). */
export function closeConnections(): void {
  agent.destroy();
}
