// FunctionCredentialsStore on PostgreSQL: the same row, shared by the nodes (the first one's insert wins).
import type { FunctionCredentials, FunctionCredentialsStore } from '../function-credentials-store.js';
import { INSERT_FUNCTION_CREDENTIALS, SELECT_FUNCTION_CREDENTIALS } from '../rows/function-credentials.js';
import type { PgDb } from './database.js';

export class PgFunctionCredentialsStore implements FunctionCredentialsStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async getOrCreate(fresh: FunctionCredentials): Promise<FunctionCredentials> {
    await this.#db.run(INSERT_FUNCTION_CREDENTIALS, [fresh.accessKeyId, fresh.secretAccessKey, fresh.sessionToken, Date.now()]);
    return (await this.#db.get<FunctionCredentials>(SELECT_FUNCTION_CREDENTIALS))!;
  }
}
