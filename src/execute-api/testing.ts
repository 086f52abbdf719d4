// Test support for API invocations: plain HTTP requests to either invoke URL form, over loopback
// (the host form sends `Host: {apiId}.execute-api.localhost:{port}` to 127.0.0.1, so no resolver
// needs to know *.localhost names).
import { request } from 'node:http';
import { connect } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** Sends a request to `baseUrl` + raw `target` (nothing is normalised), with an optional Host header. */
export function httpCall(baseUrl: string, target: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method: options.method ?? 'GET', path: target, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Invokes `{apiId}.execute-api.localhost:{port}/{stage}{path}`. */
export function invokeHost(baseUrl: string, apiId: string, stage: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const port = new URL(baseUrl).port;
  return httpCall(baseUrl, `/${stage}${path}`, { ...options, headers: { Host: `${apiId}.execute-api.localhost:${port}`, ...options.headers } });
}

/** Invokes `/restapis/{apiId}/{stage}/_user_request_{path}`. */
export function invokePath(baseUrl: string, apiId: string, stage: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
  return httpCall(baseUrl, `/restapis/${apiId}/${stage}/_user_request_${path}`, options);
}

/** Invokes an HTTP API: `{apiId}.execute-api.localhost:{port}{path}` (the path starts with the stage, except on $default). */
export function invokeHttpApi(baseUrl: string, apiId: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const port = new URL(baseUrl).port;
  return httpCall(baseUrl, path, { ...options, headers: { Host: `${apiId}.execute-api.localhost:${port}`, ...options.headers } });
}

export interface SignedCall {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
}

/**
 * Invokes an HTTP API with a SigV4-signed request (service execute-api unless `service` says
 * otherwise, content type application/json); `sendBody` goes out instead of the signed body.
 */
export async function invokeHttpApiSigned(baseUrl: string, apiId: string, call: SignedCall, credentials: { accessKeyId: string; secretAccessKey: string },
  options: { region?: string; service?: string; sendBody?: string } = {}): Promise<HttpAnswer> {
  const host = `${apiId}.execute-api.localhost:${new URL(baseUrl).port}`;
  const signer = new SignatureV4({ credentials, region: options.region ?? 'us-east-1', service: options.service ?? 'execute-api', sha256: Sha256 });
  const { headers } = await signer.sign({
    method: call.method, protocol: 'http:', hostname: host, path: call.path, query: call.query ?? {},
    headers: { host, 'content-type': 'application/json' }, body: call.body,
  });
  const query = new URLSearchParams(call.query ?? {}).toString();
  return invokeHttpApi(baseUrl, apiId, `${call.path}${query ? `?${query}` : ''}`, { method: call.method, headers: headers as Record<string, string>, body: options.sendBody ?? call.body });
}

/**
 * Sends raw bytes over TCP and resolves with all the server wrote until it closed the connection
 * (send `Connection: close`); rejects when it has not closed within `timeoutMs`, as for an answer
 * that leaves the client waiting.
 */
export function rawExchange(baseUrl: string, request: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(baseUrl).port), new URL(baseUrl).hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not finish within ${timeoutMs} ms; it sent: ${Buffer.concat(chunks).toString('latin1')}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}
