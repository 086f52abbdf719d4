// ClientCertificateStore on SQLite: one row per certificate, its record as JSON.
import type { ApiScope } from '../apigateway-store.js';
import type { ClientCertificateRecord, ClientCertificateStore } from '../client-certificate-store.js';
import { CLIENT_CERTIFICATE_SQL as SQL, clientCertificateKey, clientCertificateOf, insertParams } from '../rows/client-certificates.js';
import type { SqliteDb } from './database.js';

export class SqliteClientCertificateStore implements ClientCertificateStore {
  readonly #s;

  constructor(db: SqliteDb) {
    this.#s = {
      insert: db.prepare(SQL.insert),
      get: db.prepare(SQL.get).pluck(),
      list: db.prepare(SQL.list).pluck(),
      update: db.prepare(SQL.update),
      delete: db.prepare(SQL.delete),
    };
  }

  async createClientCertificate(certificate: ClientCertificateRecord): Promise<boolean> {
    return this.#s.insert.run(...insertParams(certificate)).changes > 0;
  }

  async getClientCertificate(scope: ApiScope, id: string): Promise<ClientCertificateRecord | undefined> {
    const config = this.#s.get.get(...clientCertificateKey({ ...scope, id })) as string | undefined;
    return config === undefined ? undefined : clientCertificateOf(config);
  }

  async listClientCertificates(scope: ApiScope): Promise<ClientCertificateRecord[]> {
    return (this.#s.list.all(scope.accountId, scope.region) as string[]).map(clientCertificateOf);
  }

  async updateClientCertificate(certificate: ClientCertificateRecord): Promise<boolean> {
    return this.#s.update.run(JSON.stringify(certificate), ...clientCertificateKey(certificate)).changes > 0;
  }

  async deleteClientCertificate(scope: ApiScope, id: string): Promise<boolean> {
    return this.#s.delete.run(...clientCertificateKey({ ...scope, id })).changes > 0;
  }
}
