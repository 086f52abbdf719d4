// The VpcLinkStore contract on embedded SQLite and on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './sqlite/database.js';
import { allMigrations } from './sqlite/migrations.js';
import { SqliteVpcLinkStore } from './sqlite/vpc-link-store.js';
import { openPostgres } from './postgres/database.js';
import { allPostgresMigrations } from './postgres/migrations.js';
import { PgVpcLinkStore } from './postgres/vpc-link-store.js';
import { createTestDatabase } from './postgres/testing.js';
import { vpcLinkStoreContract } from './contract/vpc-links.contract.js';

vpcLinkStoreContract({
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'stagecraft-vpclinks-'));
    const db = openSqlite(dir, allMigrations);
    return {
      store: new SqliteVpcLinkStore(db),
      async close() {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

vpcLinkStoreContract({
  name: 'postgres',
  async open() {
    const database = await createTestDatabase();
    const db = await openPostgres(database.url, allPostgresMigrations, { max: 2 });
    return {
      store: new PgVpcLinkStore(db),
      async close() {
        await db.close();
        await database.drop();
      },
    };
  },
});
