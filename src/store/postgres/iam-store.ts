// IamStore on PostgreSQL: check-then-write changes run in a transaction under an advisory lock of
// the account, so the nodes of a cluster take their turns.
import { SqlIamStore } from '../rows/iam.js';
import type { PgDb } from './database.js';

export function pgIamStore(db: PgDb): SqlIamStore {
  return new SqlIamStore(db, (accountId, fn) => db.tx(async (sql) => {
    await sql.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`stagecraft:iam:${accountId}`]);
    return fn(sql);
  }));
}
