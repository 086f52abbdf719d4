// Every SQLite migration has its PostgreSQL twin, with the same id, in the same order: a table
// added to one store and not to the other fails here, before any contract case runs. The
// cluster's own migrations ('postgres-…') have no twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMigrations } from '../sqlite/migrations.js';
import { allPostgresMigrations } from './migrations.js';

test('the PostgreSQL migrations mirror the SQLite ones, id for id', () => {
  const twins = allPostgresMigrations.filter((m) => !m.id.startsWith('postgres-'));
  assert.deepEqual(twins.map((m) => m.id), allMigrations.map((m) => m.id),
    'add the PostgreSQL twin of each new SQLite migration under src/store/postgres/migrations/ (same id)');
});
