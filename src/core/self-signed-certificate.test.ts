import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateTime, encodeLength, oid, smallInteger, unsignedInteger } from './der.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

test('DER: lengths in short and long form', () => {
  assert.deepEqual(encodeLength(5), Buffer.from([0x05]));
  assert.deepEqual(encodeLength(127), Buffer.from([0x7f]));
  assert.deepEqual(encodeLength(128), Buffer.from([0x81, 0x80]));
  assert.deepEqual(encodeLength(300), Buffer.from([0x82, 0x01, 0x2c]));
});

test('DER: integers are minimal two\'s complement, positive', () => {
  assert.deepEqual(smallInteger(2), Buffer.from([0x02, 0x01, 0x02]));
  assert.deepEqual(smallInteger(0), Buffer.from([0x02, 0x01, 0x00]));
  assert.deepEqual(smallInteger(0x80), Buffer.from([0x02, 0x02, 0x00, 0x80]));
  assert.deepEqual(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])), Buffer.from([0x02, 0x01, 0x7f]));
  assert.deepEqual(unsignedInteger(Buffer.from([0xff, 0x01])), Buffer.from([0x02, 0x03, 0x00, 0xff, 0x01]));
});

test('DER: object identifiers (X.690 examples and sha256WithRSAEncryption)', () => {
  assert.deepEqual(oid('2.5.4.3'), Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]));
  assert.equal(oid('1.2.840.113549.1.1.11').toString('hex'), '06092a864886f70d01010b');
});

test('DER: UTCTime through 2049, GeneralizedTime from 2050', () => {
  assert.equal(certificateTime(new Date('2026-11-26T12:05:09Z')).toString('latin1'), '\x17\x0d261126120509Z');
  assert.equal(certificateTime(new Date('2050-01-02T03:04:05Z')).toString('latin1'), '\x18\x0f20500102030405Z');
});

test('a generated certificate parses as X.509 v3, verifies with its own key and carries what was asked', async () => {
  const notBefore = new Date('2026-11-26T12:00:00.500Z');
  const generated = await createSelfSignedCertificate({ subject: { commonName: 'ApiGateway' }, notBefore, validityDays: 365, purpose: 'clientAuth' });
  const cert = new X509Certificate(generated.certificatePem);
  assert.equal(cert.subject, 'CN=ApiGateway');
  assert.equal(cert.issuer, 'CN=ApiGateway');
  assert.ok(cert.checkIssued(cert), 'self-issued');
  assert.ok(cert.verify(cert.publicKey), 'the signature verifies with its own public key');
  assert.equal(new Date(cert.validFrom).toISOString(), '2026-11-26T12:00:00.000Z');
  assert.equal(new Date(cert.validTo).toISOString(), '2027-11-26T12:00:00.000Z');
  assert.equal(generated.notAfter.toISOString(), '2027-11-26T12:00:00.000Z');
  assert.equal(cert.ca, false);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(cert.checkPrivateKey(createPrivateKey(generated.privateKeyPem)), 'the private key belongs to the certificate');
  assert.equal(createPublicKey(generated.privateKeyPem).export({ type: 'spki', format: 'pem' }), cert.publicKey.export({ type: 'spki', format: 'pem' }));
  assert.match(generated.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
});

test('server certificates name their DNS names', async () => {
  const generated = await createSelfSignedCertificate({ subject: { commonName: 'localhost' }, validityDays: 1, purpose: 'serverAuth', dnsNames: ['localhost'] });
  const cert = new X509Certificate(generated.certificatePem);
  assert.equal(cert.subjectAltName, 'DNS:localhost');
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

test('openssl reads the certificate as v3 with sha256WithRSAEncryption', { skip: !existsSync('/usr/bin/openssl') && 'openssl is not installed' }, async () => {
  const generated = await createSelfSignedCertificate({ subject: { country: 'US', organization: 'Stagecraft', commonName: 'ApiGateway' }, validityDays: 365, purpose: 'clientAuth' });
  const dir = mkdtempSync(join(tmpdir(), 'cert-'));
  try {
    const file = join(dir, 'cert.pem');
    writeFileSync(file, generated.certificatePem);
    const text = execFileSync('/usr/bin/openssl', ['x509', '-noout', '-text', '-in', file], { encoding: 'utf8' });
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    assert.match(text, /Subject: C\s?=\s?US, O\s?=\s?Stagecraft, CN\s?=\s?ApiGateway/);
    assert.match(text, /TLS Web Client Authentication/);
    assert.match(text, /CA:FALSE/);
    // The certificate verifies as its own trust anchor, as a backend trusting it would check it.
    const verified = execFileSync('/usr/bin/openssl', ['verify', '-CAfile', file, '-purpose', 'sslclient', file], { encoding: 'utf8' });
    assert.match(verified, /: OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
