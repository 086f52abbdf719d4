// The ClientCertificateStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { ClientCertificateRecord, ClientCertificateStore } from '../client-certificate-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const certificate = (id: string, extra: Partial<ClientCertificateRecord> = {}): ClientCertificateRecord => ({
  ...scope, id, pemEncodedCertificate: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`,
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${id}\n-----END PRIVATE KEY-----\n`, tags: {}, createdDate: 1000, expirationDate: 2000, ...extra,
});

export function clientCertificateStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: ClientCertificateStore) => Promise<void>) => test(`${backend.name}: ClientCertificateStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.clientCertificates);
    } finally {
      await opened.close();
    }
  });

  withStore('creates, reads, lists oldest first, updates and deletes certificates', async (store) => {
    assert.equal(await store.createClientCertificate(certificate('bbb222', { createdDate: 2000, description: 'second', tags: { a: 'b' } })), true);
    assert.equal(await store.createClientCertificate(certificate('aaa111')), true);
    assert.equal(await store.createClientCertificate(certificate('aaa111')), false, 'an id is taken once per scope');
    assert.deepEqual(await store.getClientCertificate(scope, 'bbb222'), certificate('bbb222', { createdDate: 2000, description: 'second', tags: { a: 'b' } }));
    assert.deepEqual((await store.listClientCertificates(scope)).map((c) => c.id), ['aaa111', 'bbb222']);
    assert.equal(await store.updateClientCertificate(certificate('aaa111', { description: 'renamed' })), true);
    assert.equal((await store.getClientCertificate(scope, 'aaa111'))?.description, 'renamed');
    assert.equal(await store.updateClientCertificate(certificate('zzz999')), false);
    assert.equal(await store.deleteClientCertificate(scope, 'aaa111'), true);
    assert.equal(await store.deleteClientCertificate(scope, 'aaa111'), false);
    assert.equal(await store.getClientCertificate(scope, 'aaa111'), undefined);
  });

  withStore('keeps accounts and regions apart', async (store) => {
    await store.createClientCertificate(certificate('same11'));
    assert.equal(await store.createClientCertificate(certificate('same11', { region: 'eu-west-1' })), true);
    assert.equal((await store.listClientCertificates(scope)).length, 1);
    assert.equal((await store.listClientCertificates({ ...scope, accountId: '111111111111' })).length, 0);
    await store.deleteClientCertificate({ ...scope, region: 'eu-west-1' }, 'same11');
    assert.ok(await store.getClientCertificate(scope, 'same11'));
  });
}
