// Writes to one API are read-check-write sequences; with a store whose calls really take time
// (as a networked database's do), the per-API lock keeps concurrent updates from losing each
// other's changes or breaking the sibling rules: within one process on SQLite, and across two
// nodes sharing PostgreSQL (each with its own pool and its own advisory-lock connections).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqlite } from '../../store/sqlite/database.js';
import { apigatewayMigrations } from '../../store/sqlite/migrations/apigateway.js';
import { SqliteApiGatewayStore } from '../../store/sqlite/apigateway-store.js';
import { documentationMigrations } from '../../store/sqlite/migrations/documentation.js';
import { SqliteDocumentationStore } from '../../store/sqlite/documentation-store.js';
import { PgDocumentationStore } from '../../store/postgres/documentation-store.js';
import type { ApiGatewayStore } from '../../store/apigateway-store.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { OperationHandler } from '../../aws/protocols/rest-json.js';
import { KeyedMutex } from '../locks.js';
import { openPostgres } from '../../store/postgres/database.js';
import { allPostgresMigrations } from '../../store/postgres/migrations.js';
import { PgApiGatewayStore } from '../../store/postgres/apigateway-store.js';
import { PgAdvisoryLock } from '../../store/postgres/advisory-lock.js';
import { createTestDatabase } from '../../store/postgres/testing.js';
import type { Deps } from './context.js';
import { restApiHandlers } from './rest-apis.js';
import { resourceHandlers } from './resources.js';
import { methodHandlers } from './methods.js';
import { integrationHandlers } from './integrations.js';
import { deploymentHandlers } from './deployments.js';
import { stageHandlers } from './stages.js';

const ctx: RequestContext = { requestId: 'r', accountId: '000000000000', region: 'us-east-1', baseUrl: 'http://localhost', sourceIp: '127.0.0.1', userAgent: 't' };

/** Every store call waits a little, a random amount, before and after touching SQLite. */
function slowly(store: ApiGatewayStore): ApiGatewayStore {
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'onChange') return value.bind(target);
      return async (...args: unknown[]) => {
        await sleep(Math.random() * 3);
        const result = await value.apply(target, args);
        await sleep(Math.random() * 3);
        return result;
      };
    },
  }) as ApiGatewayStore;
}

/** Sends each call to the next node in turn, every node running the handlers over its own deps. */
async function loseNothing(nodes: Deps[]): Promise<void> {
  const tables = nodes.map((deps) => ({
    ...restApiHandlers(deps), ...resourceHandlers(deps), ...methodHandlers(deps), ...integrationHandlers(deps),
    ...deploymentHandlers(deps), ...stageHandlers(deps),
  }) as Record<string, OperationHandler>);
  let turn = 0;
  const call = (op: string, input: Record<string, unknown>) => tables[turn++ % tables.length][op](input, ctx, undefined as never) as Promise<any>;

  const api = await call('CreateRestApi', { name: 'locks' });
  const base = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await call('PutMethod', { ...base, authorizationType: 'NONE' });
  await call('PutIntegration', { ...base, type: 'MOCK' });
  await call('CreateDeployment', { restApiId: api.id, stageName: 'dev' });

  const updates = await Promise.allSettled(Array.from({ length: 15 }, (_, i) =>
    call('UpdateStage', { restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: `/variables/v${i}`, value: String(i) }] })));
  assert.deepEqual(updates.filter((u) => u.status === 'rejected'), []);
  assert.equal(Object.keys((await call('GetStage', { restApiId: api.id, stageName: 'dev' })).variables).length, 15);

  const creates = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
    call('CreateResource', { restApiId: api.id, parentId: api.rootResourceId, pathPart: i % 2 ? `{v${i}}` : 'same' })));
  const made = creates.filter((c) => c.status === 'fulfilled').map((c) => (c as PromiseFulfilledResult<any>).value.pathPart);
  assert.equal(made.filter((p) => p === 'same').length, 1);
  assert.equal(made.filter((p) => p.startsWith('{')).length, 1);

  const responses = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
    call('PutMethodResponse', { ...base, statusCode: String(200 + i) })));
  assert.deepEqual(responses.filter((r) => r.status === 'rejected'), []);
  assert.equal(Object.keys((await call('GetMethod', base)).methodResponses).length, 10);
}

test('concurrent stage updates and resource creations on one API lose nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-apigw-locks-'));
  const db = openSqlite(dir, [...apigatewayMigrations, ...documentationMigrations]);
  try {
    await loseNothing([{ store: slowly(new SqliteApiGatewayStore(db)), documentation: new SqliteDocumentationStore(db), locks: new KeyedMutex(), now: Date.now }]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('concurrent writes to one API through two nodes sharing PostgreSQL lose nothing', async () => {
  const database = await createTestDatabase();
  const pools = [await openPostgres(database.url, allPostgresMigrations, { max: 4 }), await openPostgres(database.url, allPostgresMigrations, { max: 4 })];
  const locks = pools.map(() => new PgAdvisoryLock(database.url, 4));
  try {
    await loseNothing(pools.map((db, i) => ({ store: slowly(new PgApiGatewayStore(db)), documentation: new PgDocumentationStore(db), locks: locks[i], now: Date.now })));
  } finally {
    for (const l of locks) await l.close();
    for (const p of pools) await p.close();
    await database.drop();
  }
});
