// FunctionCredentialsStore on SQLite: the one row of platform_function_credentials.
import type { FunctionCredentials, FunctionCredentialsStore } from '../function-credentials-store.js';
import { INSERT_FUNCTION_CREDENTIALS, SELECT_FUNCTION_CREDENTIALS } from '../rows/function-credentials.js';
import type { SqliteDb } from './database.js';

export class SqliteFunctionCredentialsStore implements FunctionCredentialsStore {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  async getOrCreate(fresh: FunctionCredentials): Promise<FunctionCredentials> {
    this.#db.prepare(INSERT_FUNCTION_CREDENTIALS).run(fresh.accessKeyId, fresh.secretAccessKey, fresh.sessionToken, Date.now());
    return this.#db.prepare(SELECT_FUNCTION_CREDENTIALS).get() as FunctionCredentials;
  }
}
