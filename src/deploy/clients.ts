// The AWS SDK clients a deploy (and every CLI command) talks to a Stagecraft server through,
// and who the caller is (STS GetCallerIdentity), for ARNs the template needs (AWS::AccountId).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NotAnAwsAnswerError } from './errors.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ConnectionSettings {
  endpoint: string;
  region: string;
  credentials: Credentials;
}

export interface AwsClients extends ConnectionSettings {
  lambda: LambdaClient;
  apigateway: APIGatewayClient;
  /** HTTP APIs (API Gateway v2). */
  apigatewayv2: ApiGatewayV2Client;
  logs: CloudWatchLogsClient;
}

export function createClients(settings: ConnectionSettings): AwsClients {
  const config = { endpoint: settings.endpoint, region: settings.region, credentials: settings.credentials, maxAttempts: 2 };
  return {
    ...settings,
    lambda: new LambdaClient(config),
    apigateway: new APIGatewayClient(config),
    apigatewayv2: new ApiGatewayV2Client(config),
    logs: new CloudWatchLogsClient(config),
  };
}

export function destroyClients(clients: AwsClients): void {
  clients.lambda.destroy();
  clients.apigateway.destroy();
  clients.apigatewayv2.destroy();
  clients.logs.destroy();
}

/**
 * A request to one of the server's own endpoints, signed like an AWS call of `service` (servers
 * with access keys configured refuse unsigned ones).
 */
export async function signedFetch(settings: ConnectionSettings, service: string, url: URL,
  init: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<Response> {
  const signer = new SignatureV4({ service, region: settings.region, credentials: settings.credentials, sha256: Sha256 });
  const headers: Record<string, string> = { host: url.host };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, init.headers);
  const signed = await signer.sign({
    method: init.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: init.body,
  });
  const answer = await send(url, init.method, signed.headers as Record<string, string>, init.body);
  if (answer.status < 200 || answer.status > 599) throw new NotAnAwsAnswerError(answer.status, answer.headers.get('content-type') ?? undefined);
  return new Response(answer.status === 204 || answer.status === 304 ? null : answer.body, { status: answer.status, headers: answer.headers });
}

/** The caller's account ID from STS GetCallerIdentity (signed like any AWS call). */
export async function callerAccount(settings: ConnectionSettings): Promise<string> {
  const url = new URL(settings.endpoint);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signer = new SignatureV4({ service: 'sts', region: settings.region, credentials: settings.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname === '' ? '/' : url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const response = await send(url, 'POST', signed.headers as Record<string, string>, body);
  const text = response.body;
  const account = /<Account>(\d{12})<\/Account>/.exec(text)?.[1];
  if (response.status !== 200 || !account) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    if (!code) throw new NotAnAwsAnswerError(response.status, response.headers.get('content-type') ?? undefined);
    const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? 'no account in the GetCallerIdentity answer';
    // Shaped as the SDK's errors are, so it is reported as an AWS error (type: message).
    throw Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: response.status } });
  }
  return account;
}

/** Answers as the server gave them; the body as text. */
interface PlainAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * One HTTP request with Node's own client, as the SDK clients make theirs: the same connection
 * errors (ECONNREFUSED, …) for an unreachable server, and no refusal of ports fetch() blocks
 * (6000, 6665–6669, 10080, …), where a Stagecraft server may well listen.
 */
function send(url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<PlainAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const sent = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: sent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const answered = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) answered.append(name, v);
        }
        resolve({ status: res.statusCode ?? 0, headers: answered, body: text });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('no answer from the server in 30 seconds'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
