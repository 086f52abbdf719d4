// IamStore on SQLite: one process owns the file, so an in-process lock per account orders the
// check-then-write changes.
import { KeyedMutex } from '../../apigateway/locks.js';
import { SqlIamStore } from '../rows/iam.js';
import { sqliteRunner } from './logs-store.js';
import type { SqliteDb } from './database.js';

export function sqliteIamStore(db: SqliteDb): SqlIamStore {
  const runner = sqliteRunner(db);
  const locks = new KeyedMutex();
  return new SqlIamStore(runner, (accountId, fn) => locks.run(`iam:${accountId}`, () => fn(runner)));
}
