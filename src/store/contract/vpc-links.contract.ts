// The VpcLinkStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { VpcLinkRecord, VpcLinkStore } from '../vpc-link-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const link = (id: string, extra: Partial<VpcLinkRecord> = {}): VpcLinkRecord => ({
  ...scope, kind: 'rest', id, name: `link-${id}`, targetArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/a/1'], subnetIds: [],
  securityGroupIds: [], tags: {}, createdDate: 1000, ...extra,
});

export function vpcLinkStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: VpcLinkStore) => Promise<void>) => test(`${backend.name}: VpcLinkStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.vpcLinks);
    } finally {
      await opened.close();
    }
  });

  withStore('creates, reads, lists oldest first, updates and deletes links', async (store) => {
    assert.equal(await store.createVpcLink(link('bbb222', { createdDate: 2000, description: 'second', tags: { a: 'b' } })), true);
    assert.equal(await store.createVpcLink(link('aaa111', { createdDate: 1000 })), true);
    assert.equal(await store.createVpcLink(link('aaa111')), false, 'an id is taken once per kind and scope');
    assert.deepEqual(await store.getVpcLink(scope, 'rest', 'bbb222'), link('bbb222', { createdDate: 2000, description: 'second', tags: { a: 'b' } }));
    assert.deepEqual((await store.listVpcLinks(scope, 'rest')).map((l) => l.id), ['aaa111', 'bbb222']);
    assert.equal(await store.updateVpcLink(link('aaa111', { name: 'renamed' })), true);
    assert.equal((await store.getVpcLink(scope, 'rest', 'aaa111'))?.name, 'renamed');
    assert.equal(await store.updateVpcLink(link('zzz999')), false);
    assert.equal(await store.deleteVpcLink(scope, 'rest', 'aaa111'), true);
    assert.equal(await store.deleteVpcLink(scope, 'rest', 'aaa111'), false);
    assert.equal(await store.getVpcLink(scope, 'rest', 'aaa111'), undefined);
  });

  withStore('keeps REST and HTTP API links, and accounts and regions, apart', async (store) => {
    await store.createVpcLink(link('same11'));
    assert.equal(await store.createVpcLink(link('same11', { kind: 'http', subnetIds: ['subnet-1'], targetArns: [] })), true);
    assert.equal(await store.createVpcLink(link('same11', { region: 'eu-west-1' })), true);
    assert.deepEqual((await store.getVpcLink(scope, 'http', 'same11'))?.subnetIds, ['subnet-1']);
    assert.equal((await store.listVpcLinks(scope, 'rest')).length, 1);
    assert.equal((await store.listVpcLinks({ ...scope, accountId: '111111111111' }, 'rest')).length, 0);
    await store.deleteVpcLink(scope, 'http', 'same11');
    assert.ok(await store.getVpcLink(scope, 'rest', 'same11'));
  });
}
