import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InvocationContext } from '../context.js';
import { httpsAgentFor } from './backend-tls.js';

const contextWith = (clientCertificate?: { key: string }, insecure?: boolean) => ({
  resolved: { stage: { clientCertificate: clientCertificate && { ...clientCertificate, certificatePem: 'cert', privateKeyPem: 'key' } } },
  integration: insecure === undefined ? {} : { tlsConfig: { insecureSkipVerification: insecure } },
}) as unknown as InvocationContext;

test('stages without a client certificate and verified integrations share one agent', () => {
  assert.equal(httpsAgentFor(contextWith()), httpsAgentFor(contextWith(undefined, false)));
});

test('one agent per certificate and verification, made once, carrying the certificate and key', () => {
  const a = httpsAgentFor(contextWith({ key: '000000000000/us-east-1/abc123' }));
  assert.notEqual(a, httpsAgentFor(contextWith()));
  assert.equal(httpsAgentFor(contextWith({ key: '000000000000/us-east-1/abc123' })), a);
  assert.equal(a.options.cert, 'cert');
  assert.equal(a.options.key, 'key');
  assert.equal(a.options.rejectUnauthorized, undefined);
  const insecure = httpsAgentFor(contextWith({ key: '000000000000/us-east-1/abc123' }, true));
  assert.notEqual(insecure, a);
  assert.equal(insecure.options.rejectUnauthorized, false);
  assert.equal(httpsAgentFor(contextWith(undefined, true)).options.cert, undefined);
});
