// The DocumentationStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { RestApiRecord } from '../apigateway-store.js';
import type { DocumentationPartRecord } from '../apigateway-documentation-store.js';

const api = (id: string): RestApiRecord => ({
  accountId: '000000000000', region: 'us-east-1', id, name: `api-${id}`, createdDate: 1000, rootResourceId: `${id}-root`, binaryMediaTypes: [],
  apiKeySource: 'HEADER', endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, disableExecuteApiEndpoint: false, tags: {},
});
const part = (id: string, location: DocumentationPartRecord['location'], properties = '{"description":"d"}'): DocumentationPartRecord => ({ id, location, properties });

export function documentationStoreContract(backend: StoreBackend): void {
  const name = backend.name;

  test(`${name}: documentation parts: one per location, oldest first, updated and deleted by id`, async () => {
    const opened = await backend.open();
    const { apigateway, documentation: docs } = opened;
    try {
      await apigateway.createRestApi(api('a1'), [{ id: 'a1-root', path: '/' }]);
      await apigateway.createRestApi(api('a2'), [{ id: 'a2-root', path: '/' }]);
      assert.equal(await docs.createPart('a1', part('p2', { type: 'API' })), true);
      assert.equal(await docs.createPart('a1', part('p1', { type: 'METHOD', path: '/', method: 'GET' })), true);
      // The same location again (under another id) is refused; another API has its own locations.
      assert.equal(await docs.createPart('a1', part('p3', { type: 'API' })), false);
      assert.equal(await docs.createPart('a2', part('p3', { type: 'API' })), true);
      assert.deepEqual((await docs.listParts('a1')).map((p) => p.id), ['p2', 'p1']);
      assert.deepEqual(await docs.getPart('a1', 'p1'), part('p1', { type: 'METHOD', path: '/', method: 'GET' }));
      assert.equal(await docs.getPart('a2', 'p1'), undefined);

      assert.equal(await docs.updatePart('a1', 'p1', '{"summary":"s"}'), true);
      assert.equal((await docs.getPart('a1', 'p1'))?.properties, '{"summary":"s"}');
      assert.equal(await docs.updatePart('a1', 'nope', '{}'), false);
      assert.equal(await docs.deletePart('a1', 'p1'), true);
      assert.equal(await docs.deletePart('a1', 'p1'), false);
      // The location is free again once its part is gone.
      assert.equal(await docs.createPart('a1', part('p4', { type: 'METHOD', path: '/', method: 'GET' })), true);
    } finally {
      await opened.close();
    }
  });

  test(`${name}: documentation parts: an import merges or replaces in one write`, async () => {
    const opened = await backend.open();
    const { apigateway, documentation: docs } = opened;
    try {
      await apigateway.createRestApi(api('a1'), [{ id: 'a1-root', path: '/' }]);
      await docs.createPart('a1', part('p1', { type: 'API' }));
      await docs.createPart('a1', part('p2', { type: 'MODEL', name: 'Pet' }));
      // Merge: p1 is rewritten in place, p3 is added, p2 stays.
      await docs.putParts('a1', [part('p1', { type: 'API' }, '{"v":2}'), part('p3', { type: 'RESOURCE', path: '/' })], false);
      assert.deepEqual((await docs.listParts('a1')).map((p) => [p.id, p.properties]), [['p1', '{"v":2}'], ['p2', '{"description":"d"}'], ['p3', '{"description":"d"}']]);
      // Overwrite: only the imported parts remain, and a location an old part held can be taken.
      await docs.putParts('a1', [part('p4', { type: 'MODEL', name: 'Pet' })], true);
      assert.deepEqual((await docs.listParts('a1')).map((p) => p.id), ['p4']);
    } finally {
      await opened.close();
    }
  });

  test(`${name}: documentation versions keep their parts; they and the parts go with their API`, async () => {
    const opened = await backend.open();
    const { apigateway, documentation: docs } = opened;
    try {
      await apigateway.createRestApi(api('a1'), [{ id: 'a1-root', path: '/' }]);
      const parts = [part('p1', { type: 'API' })];
      await docs.createPart('a1', parts[0]);
      assert.equal(await docs.createVersion('a1', { version: 'v2', createdDate: 2000, description: 'second', parts }), true);
      assert.equal(await docs.createVersion('a1', { version: 'v1', createdDate: 1000, parts: [] }), true);
      assert.equal(await docs.createVersion('a1', { version: 'v1', createdDate: 3000, parts: [] }), false);
      assert.deepEqual(await docs.listVersions('a1'), [{ version: 'v1', createdDate: 1000 }, { version: 'v2', createdDate: 2000, description: 'second' }]);
      await docs.updatePart('a1', 'p1', '{"changed":true}');
      assert.deepEqual(await docs.getVersion('a1', 'v2'), { version: 'v2', createdDate: 2000, description: 'second', parts });

      assert.equal(await docs.updateVersionDescription('a1', 'v2', undefined), true);
      assert.deepEqual(await docs.getVersion('a1', 'v2'), { version: 'v2', createdDate: 2000, parts });
      assert.equal(await docs.updateVersionDescription('a1', 'v9', 'x'), false);
      assert.equal(await docs.deleteVersion('a1', 'v1'), true);
      assert.equal(await docs.deleteVersion('a1', 'v1'), false);

      await apigateway.deleteRestApi({ accountId: '000000000000', region: 'us-east-1' }, 'a1');
      assert.deepEqual(await docs.listParts('a1'), []);
      assert.deepEqual(await docs.listVersions('a1'), []);
      // A new API under the same id starts without documentation.
      await apigateway.createRestApi(api('a1'), [{ id: 'a1-root', path: '/' }]);
      assert.equal(await docs.createPart('a1', part('p1', { type: 'API' })), true);
    } finally {
      await opened.close();
    }
  });
}
