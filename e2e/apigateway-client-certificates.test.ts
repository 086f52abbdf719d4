// REST API client certificates end to end, through AWS's own APIGateway client and the AWS CLI:
// the certificates' lifecycle and refusals, a real self-signed X.509 certificate whose key never
// leaves the server, and a stage presenting it to an https backend that requires client
// certificates (mutual TLS) and trusts only that one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteClientCertificateCommand, GenerateClientCertificateCommand,
  GetClientCertificateCommand, GetClientCertificatesCommand, GetResourcesCommand, GetStageCommand, GetTagsCommand, PutIntegrationCommand, PutMethodCommand,
  TagResourceCommand, TestInvokeMethodCommand, UpdateClientCertificateCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost } from '../src/execute-api/testing.js';
import { createSelfSignedCertificate } from '../src/core/self-signed-certificate.js';

const env = useServer();
const NOT_FOUND = 'Invalid Client Certificate identifier specified';
const DAY_MS = 24 * 60 * 60 * 1000;
let backend: Server | undefined;
after(() => backend?.close());

test('a client certificate: generated (201) as a self-signed X.509 certificate valid 365 days, read, listed by pages, described, tagged, deleted (202)', async () => {
  const generated = await env.apigw.send(new GenerateClientCertificateCommand({ description: 'to the orders backend', tags: { team: 'orders' } }));
  assert.equal(generated.$metadata.httpStatusCode, 201);
  assert.match(generated.clientCertificateId!, /^[a-z0-9]{6}$/);
  assert.equal(generated.description, 'to the orders backend');
  assert.deepEqual(generated.tags, { team: 'orders' });
  const cert = new X509Certificate(generated.pemEncodedCertificate!);
  assert.equal(cert.subject, 'CN=ApiGateway');
  assert.ok(cert.checkIssued(cert) && cert.verify(cert.publicKey), 'self-signed');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(generated.expirationDate!.getTime() - generated.createdDate!.getTime(), 365 * DAY_MS);
  assert.equal(new Date(cert.validTo).getTime(), generated.expirationDate!.getTime());
  assert.ok(Math.abs(generated.createdDate!.getTime() - Date.now()) < 60_000);

  const id = generated.clientCertificateId!;
  const read = await env.apigw.send(new GetClientCertificateCommand({ clientCertificateId: id }));
  assert.deepEqual({ ...read, $metadata: undefined }, { ...generated, $metadata: undefined });
  // The private key stays on the server: not in any answer, modelled or not.
  const raw = await (await fetch(`${env.url}/clientcertificates/${id}`)).text();
  assert.match(raw, /BEGIN CERTIFICATE/);
  assert.doesNotMatch(raw, /PRIVATE KEY|privateKey/);

  const plain = await env.apigw.send(new GenerateClientCertificateCommand({}));
  assert.equal(plain.description, undefined);
  const first = await env.apigw.send(new GetClientCertificatesCommand({ limit: 1 }));
  assert.equal(first.items?.length, 1);
  assert.ok(first.position);
  const rest = await env.apigw.send(new GetClientCertificatesCommand({ position: first.position }));
  const listed = [...first.items!, ...rest.items!];
  assert.deepEqual(listed.map((c) => c.clientCertificateId).filter((c) => c === id || c === plain.clientCertificateId), [id, plain.clientCertificateId]);
  assert.equal(listed.find((c) => c.clientCertificateId === plain.clientCertificateId)!.tags, undefined, 'no tags, none in a list');

  const updated = await env.apigw.send(new UpdateClientCertificateCommand({ clientCertificateId: id, patchOperations: [{ op: 'replace', path: '/description', value: 'renamed' }] }));
  assert.equal(updated.description, 'renamed');
  assert.equal(updated.pemEncodedCertificate, generated.pemEncodedCertificate);
  await expectAwsError(env.apigw.send(new UpdateClientCertificateCommand({ clientCertificateId: id, patchOperations: [{ op: 'replace', path: '/pemEncodedCertificate', value: 'x' }] })),
    'BadRequestException', 'Invalid patch path /pemEncodedCertificate', 400);

  const arn = `arn:aws:apigateway:${testRegion}::/clientcertificates/${id}`;
  await env.apigw.send(new TagResourceCommand({ resourceArn: arn, tags: { stage: 'prod' } }));
  assert.deepEqual((await env.apigw.send(new GetTagsCommand({ resourceArn: arn }))).tags, { team: 'orders', stage: 'prod' });

  for (const call of [
    () => env.apigw.send(new GetClientCertificateCommand({ clientCertificateId: 'nope42' })),
    () => env.apigw.send(new UpdateClientCertificateCommand({ clientCertificateId: 'nope42', patchOperations: [{ op: 'replace', path: '/description', value: 'x' }] })),
    () => env.apigw.send(new DeleteClientCertificateCommand({ clientCertificateId: 'nope42' })),
  ]) await expectAwsError(call(), 'NotFoundException', NOT_FOUND, 404);

  const deleted = await env.apigw.send(new DeleteClientCertificateCommand({ clientCertificateId: plain.clientCertificateId! }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetClientCertificateCommand({ clientCertificateId: plain.clientCertificateId! })), 'NotFoundException', NOT_FOUND, 404);
});

/** An https server that requires a client certificate issued by (here: equal to) `trusted`, answering with what it was shown. */
async function mutualTlsBackend(trusted: string): Promise<string> {
  const serverCert = await createSelfSignedCertificate({ subject: { commonName: 'localhost' }, validityDays: 1, purpose: 'serverAuth', dnsNames: ['localhost'] });
  backend = createServer({ key: serverCert.privateKeyPem, cert: serverCert.certificatePem, requestCert: true, rejectUnauthorized: true, ca: [trusted] }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, peerFingerprint256: peer.fingerprint256, peerSubject: peer.subject?.CN }));
  });
  await new Promise<void>((resolve) => backend!.listen(0, resolve));
  return `https://localhost:${(backend!.address() as AddressInfo).port}`;
}

test('a stage with a client certificate presents it to an https backend requiring mutual TLS; without it the backend refuses', async () => {
  const certificate = await env.apigw.send(new GenerateClientCertificateCommand({ description: 'mTLS' }));
  const backendUrl = await mutualTlsBackend(certificate.pemEncodedCertificate!);

  const apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'mtls-api' }))).id!;
  const rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  const proxied = async (pathPart: string, insecureSkipVerification: boolean) => {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart }))).id!;
    await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    const put = await env.apigw.send(new PutIntegrationCommand({
      restApiId: apiId, resourceId, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/${pathPart}`,
      ...(insecureSkipVerification ? { tlsConfig: { insecureSkipVerification } } : {}),
    }));
    if (insecureSkipVerification) assert.deepEqual(put.tlsConfig, { insecureSkipVerification: true });
    return resourceId;
  };
  // The backend's certificate is self-signed: only an integration that skips the authority check accepts it.
  const orders = await proxied('orders', true);
  await proxied('verified', false);
  const deployment = await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  await env.apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'nocert', deploymentId: deployment.id! }));

  await expectAwsError(env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: 'nope42' }] })),
    'NotFoundException', NOT_FOUND, 404);
  const stage = await env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod',
    patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: certificate.clientCertificateId! }] }));
  assert.equal(stage.clientCertificateId, certificate.clientCertificateId);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }))).clientCertificateId, certificate.clientCertificateId);

  const answer = await invokeHost(env.url, apiId, 'prod', '/orders');
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json(), {
    path: '/orders', peerFingerprint256: new X509Certificate(certificate.pemEncodedCertificate!).fingerprint256, peerSubject: 'ApiGateway',
  });
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/orders')).status, 200, 'again, on a pooled connection');

  // No certificate: the backend ends the handshake, and API Gateway answers its integration failure.
  const refused = await invokeHost(env.url, apiId, 'nocert', '/orders');
  assert.equal(refused.status, 502, refused.text);
  // Without insecureSkipVerification the backend's self-signed certificate is refused.
  const unverified = await invokeHost(env.url, apiId, 'prod', '/verified');
  assert.equal(unverified.status, 502, unverified.text);

  // TestInvokeMethod presents the certificate its clientCertificateId names, as AWS's guide uses it to check the setup.
  const fingerprint = new X509Certificate(certificate.pemEncodedCertificate!).fingerprint256;
  const tested = await env.apigw.send(new TestInvokeMethodCommand({ restApiId: apiId, resourceId: orders, httpMethod: 'GET', clientCertificateId: certificate.clientCertificateId }));
  assert.equal(tested.status, 200, tested.body);
  assert.equal(JSON.parse(tested.body!).peerFingerprint256, fingerprint);
  assert.equal((await env.apigw.send(new TestInvokeMethodCommand({ restApiId: apiId, resourceId: orders, httpMethod: 'GET' }))).status, 502);
  await expectAwsError(env.apigw.send(new TestInvokeMethodCommand({ restApiId: apiId, resourceId: orders, httpMethod: 'GET', clientCertificateId: 'nope42' })),
    'NotFoundException', NOT_FOUND, 404);

  // Clearing the certificate takes effect on the next request.
  const cleared = await env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: '' }] }));
  assert.equal(cleared.clientCertificateId, undefined);
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/orders')).status, 502);
});

test('the AWS CLI: aws apigateway generate-client-certificate, get-client-certificates, get-client-certificate', async () => {
  const generated = await awsCli(env.url, ['apigateway', 'generate-client-certificate', '--description', 'from the CLI']);
  assert.equal(generated.code, 0, generated.stderr);
  const certificate = generated.json();
  assert.equal(certificate.description, 'from the CLI');
  assert.match(certificate.pemEncodedCertificate, /^-----BEGIN CERTIFICATE-----\n/);
  const listed = await awsCli(env.url, ['apigateway', 'get-client-certificates']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(listed.json().items.some((c: { clientCertificateId: string }) => c.clientCertificateId === certificate.clientCertificateId));
  const gone = await awsCli(env.url, ['apigateway', 'get-client-certificate', '--client-certificate-id', 'nope42']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /NotFoundException.*Invalid Client Certificate identifier specified/);
});
