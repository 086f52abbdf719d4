// Custom domain names in a cluster: two nodes on one PostgreSQL database. A domain, its base path
// mappings, their updates and deletion, written through one node, route requests on the other at once,
// because every write reaches the other node's domain cache through the change feed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, UpdateBasePathMappingCommand,
} from '@aws-sdk/client-api-gateway';
import { TestServer } from '../src/testing/fixture.js';
import { callDomain, contextEchoApi } from '../src/testing/context-echo-api.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

test('a domain and its mappings written through one node route requests on the other at once', async () => {
  db = await createTestDatabase();
  const a = await TestServer.start({ args: ['--database', db.url] });
  const b = await TestServer.start({ args: ['--database', db.url] });
  const host = 'cluster.example.com';
  try {
    const apiId = await contextEchoApi(a.apigw, 'clustered');
    // b has seen requests to the host before it was a domain: it must not have remembered that.
    assert.equal((await callDomain(b.url, host, '/v1/pets')).status, 404);

    await a.apigw.send(new CreateDomainNameCommand({ domainName: host, endpointConfiguration: { types: ['REGIONAL'] } }));
    const unmapped = await callDomain(b.url, host, '/v1/pets');
    assert.equal(unmapped.status, 403);
    assert.deepEqual(unmapped.json(), { message: 'Forbidden' });

    await a.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'v1', restApiId: apiId, stage: 'prod' }));
    const routed = await callDomain(b.url, host, '/v1/pets');
    assert.equal(routed.status, 200, routed.text);
    assert.deepEqual(routed.json(), { api: apiId, stage: 'prod', resource: '/pets', path: '/v1/pets' });
    assert.deepEqual((await callDomain(a.url, host, '/v1/pets')).json(), { api: apiId, stage: 'prod', resource: '/pets', path: '/v1/pets' });

    // A promotion on b: a, which has the mapping cached, serves the new stage at once.
    await b.apigw.send(new UpdateBasePathMappingCommand({ domainName: host, basePath: 'v1', patchOperations: [{ op: 'replace', path: '/stage', value: 'dev' }] }));
    assert.deepEqual((await callDomain(a.url, host, '/v1/pets')).json(), { api: apiId, stage: 'dev', resource: '/pets', path: '/v1/pets' });
    assert.deepEqual((await callDomain(b.url, host, '/v1/pets')).json(), { api: apiId, stage: 'dev', resource: '/pets', path: '/v1/pets' });

    await b.apigw.send(new DeleteBasePathMappingCommand({ domainName: host, basePath: 'v1' }));
    assert.equal((await callDomain(a.url, host, '/v1/pets')).status, 403, 'the mapping deleted on b is gone on a');
    await b.apigw.send(new CreateBasePathMappingCommand({ domainName: host, restApiId: apiId, stage: 'dev' }));
    assert.deepEqual((await callDomain(a.url, host, '/pets')).json(), { api: apiId, stage: 'dev', resource: '/pets', path: '/pets' });
    await b.apigw.send(new DeleteDomainNameCommand({ domainName: host }));
    assert.equal((await callDomain(a.url, host, '/pets')).status, 403, 'the domain deleted on b routes nothing on a');
  } finally {
    await a.stop();
    await b.stop();
  }
});
