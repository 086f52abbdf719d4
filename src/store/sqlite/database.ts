// The embedded SQLite database: one file under the data dir, WAL journal, foreign keys on,
// and forward-only migrations that each module contributes.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type SqliteDb = Database.Database;

export interface Migration {
  /** Unique and stable, e.g. 'lambda-001-functions'. Applied once, in the order given. */
  id: string;
  sql: string;
}

export function openSqlite(dataDir: string, migrations: Migration[]): SqliteDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'stagecraft.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable at checkpoint; WAL keeps every commit atomic across crashes
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    }).immediate();
  }
  return db;
}
