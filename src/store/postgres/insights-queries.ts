// The InsightsQueryStore on PostgreSQL: the shared SQL, with StartQuery's count-and-insert run in a
// transaction under an advisory lock on the scope, so two nodes starting queries at the same
// instant never both take the last slot (each statement's snapshot would show both of them room).
import { SqlInsightsQueryStore } from '../rows/insights-queries.js';
import type { PgDb } from './database.js';

export function pgInsightsQueryStore(db: PgDb): SqlInsightsQueryStore {
  return new SqlInsightsQueryStore(db, (key, fn) => db.tx(async (sql) => {
    await sql.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`stagecraft:${key}`]);
    return fn(sql);
  }));
}
