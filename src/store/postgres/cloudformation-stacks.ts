// The CloudFormationStacksStore on PostgreSQL: the shared SQL, with CreateStack's check-and-insert
// under an advisory lock on the stack name, so two nodes creating one stack at once never both win.
import { SqlCloudFormationStacksStore } from '../rows/cloudformation-stacks.js';
import type { PgDb } from './database.js';

export function pgCloudFormationStacksStore(db: PgDb): SqlCloudFormationStacksStore {
  return new SqlCloudFormationStacksStore(db, (key, fn) => db.tx(async (sql) => {
    await sql.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`stagecraft:${key}`]);
    return fn(sql);
  }));
}
