// SQLite only: what the API Gateway migrations do to data written before them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './database.js';
import { apigatewayMigrations } from './migrations/apigateway.js';
import { SqliteApiGatewayStore } from './apigateway-store.js';

const A = { accountId: '000000000000', region: 'us-east-1' };
const restApi = (id: string) => ({
  ...A, id, name: `api-${id}`, createdDate: 1000, rootResourceId: `${id}-root`, binaryMediaTypes: [], apiKeySource: 'HEADER',
  endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, disableExecuteApiEndpoint: false, tags: {},
});

test('the models migration gives REST APIs created before it the built-in Empty and Error models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-apigw-migration-'));
  try {
    const db = openSqlite(dir, apigatewayMigrations.filter((m) => m.id < 'apigateway-005'));
    db.prepare('INSERT INTO apigw_rest_apis (id, account_id, region, name, created_ms, config) VALUES (?, ?, ?, ?, ?, ?)')
      .run('old', A.accountId, A.region, 'old', 1, JSON.stringify(restApi('old')));
    db.close();
    const migrated = openSqlite(dir, apigatewayMigrations);
    const models = await new SqliteApiGatewayStore(migrated).listModels('old');
    migrated.close();
    assert.deepEqual(models.map((m) => m.name), ['Empty', 'Error']);
    assert.match(models[0].id, /^[0-9a-f]{6}$/);
    assert.notEqual(models[0].id, models[1].id);
    assert.equal(JSON.parse(models[0].schema).title, 'Empty Schema');
    assert.equal(JSON.parse(models[1].schema).properties.message.type, 'string');
    assert.equal(models[1].description, 'This is a default error schema model');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
