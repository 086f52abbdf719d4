// Test support: a function that calls the server's AWS APIs as a function written for AWS would,
// signing with the credentials in its environment (functions get no AWS SDK, so it signs by hand).
import assert from 'node:assert/strict';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createNodeFunction } from './functions.js';

/**
 * Signs a request with SigV4 by hand (functions have no AWS SDK) using its environment's
 * credentials: Lambda ListFunctions, or a CodeDeploy JSON 1.1 operation when `event.target` is given,
 * at AWS_ENDPOINT_URL or `event.endpoint`; `event.keyId` and `event.omitToken` spoil the signature.
 */
export const SIGNING_HANDLER = `
const { createHash, createHmac } = require('node:crypto');
const hmac = (key, text) => createHmac('sha256', key).update(text).digest();
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
exports.handler = async (event) => {
  const service = event.target ? 'codedeploy' : 'lambda';
  const method = event.target ? 'POST' : 'GET';
  const body = event.target ? JSON.stringify(event.input) : '';
  const url = new URL(event.target ? '/' : '/2015-03-31/functions/', event.endpoint ?? process.env.AWS_ENDPOINT_URL);
  const keyId = event.keyId ?? process.env.AWS_ACCESS_KEY_ID;
  const token = event.omitToken ? undefined : process.env.AWS_SESSION_TOKEN;
  const region = process.env.AWS_REGION;
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\\.\\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = { host: url.host, 'x-amz-date': amzDate, ...(token ? { 'x-amz-security-token': token } : {}),
    ...(event.target ? { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': event.target } : {}) };
  const names = Object.keys(headers).sort();
  const canonical = [method, url.pathname, '', names.map((n) => n + ':' + headers[n] + '\\n').join(''), names.join(';'), sha256(body)].join('\\n');
  const scope = day + '/' + region + '/' + service + '/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + process.env.AWS_SECRET_ACCESS_KEY, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host, ...sent } = headers;
  const authorization = 'AWS4-HMAC-SHA256 Credential=' + keyId + '/' + scope + ', SignedHeaders=' + names.join(';') + ', Signature=' + signature;
  const res = await fetch(url, { method, headers: { ...sent, authorization }, body: body || undefined });
  const answer = await res.json();
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype') ?? answer.__type ?? null,
    answer,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN },
  };
};`;

/** What the function answers: the call's status, error type and JSON answer, and the credentials it signed with. */
export interface SignedCall {
  status: number;
  errorType: string | null;
  answer: any;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** Creates the function through `lambda`; the result invokes it there with an event. */
export async function createSigningFunction(lambda: LambdaClient, name: string): Promise<(event: Record<string, unknown>) => Promise<SignedCall>> {
  await createNodeFunction(lambda, name, SIGNING_HANDLER, { Timeout: 10 });
  return async (event) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload!).toString());
    return JSON.parse(Buffer.from(out.Payload!).toString()) as SignedCall;
  };
}
