// Test support: a throwaway PostgreSQL database per caller, so test files running in parallel
// never share state. STAGECRAFT_TEST_POSTGRES_URL names the server (default: the local one, trust
// authentication); a missing server fails the test with a message saying what to set.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const TEST_POSTGRES_ENV = 'STAGECRAFT_TEST_POSTGRES_URL';
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env[TEST_POSTGRES_ENV] || DEFAULT_ADMIN_URL;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`PostgreSQL tests need a server: could not connect to ${url} (${(e as Error).message}). ` +
      `Start PostgreSQL there, or set ${TEST_POSTGRES_ENV} to a URL of a role allowed to CREATE DATABASE.`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `stagecraft_t_${randomBytes(6).toString('hex')}`;
  const base = process.env[TEST_POSTGRES_ENV] || DEFAULT_ADMIN_URL;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
