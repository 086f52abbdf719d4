// ClientCertificateStore on PostgreSQL: the same rows as on SQLite, shared by the nodes of a cluster.
import type { ApiScope } from '../apigateway-store.js';
import type { ClientCertificateRecord, ClientCertificateStore } from '../client-certificate-store.js';
import { CLIENT_CERTIFICATE_SQL as SQL, clientCertificateKey, clientCertificateOf, insertParams } from '../rows/client-certificates.js';
import type { PgDb } from './database.js';

export class PgClientCertificateStore implements ClientCertificateStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async createClientCertificate(certificate: ClientCertificateRecord): Promise<boolean> {
    return (await this.#db.run(SQL.insert, insertParams(certificate))) > 0;
  }

  async getClientCertificate(scope: ApiScope, id: string): Promise<ClientCertificateRecord | undefined> {
    const row = await this.#db.get<{ config: string }>(SQL.get, clientCertificateKey({ ...scope, id }));
    return row && clientCertificateOf(row.config);
  }

  async listClientCertificates(scope: ApiScope): Promise<ClientCertificateRecord[]> {
    return (await this.#db.all<{ config: string }>(SQL.list, [scope.accountId, scope.region])).map((r) => clientCertificateOf(r.config));
  }

  async updateClientCertificate(certificate: ClientCertificateRecord): Promise<boolean> {
    return (await this.#db.run(SQL.update, [JSON.stringify(certificate), ...clientCertificateKey(certificate)])) > 0;
  }

  async deleteClientCertificate(scope: ApiScope, id: string): Promise<boolean> {
    return (await this.#db.run(SQL.delete, clientCertificateKey({ ...scope, id }))) > 0;
  }
}
