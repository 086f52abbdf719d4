// The SQL both stores run on the client certificate table (the dialects agree here), and its rows.
import type { ClientCertificateRecord } from '../client-certificate-store.js';

export const CLIENT_CERTIFICATE_SQL = {
  insert: 'INSERT INTO apigw_client_certificates (account_id, region, id, created_ms, config) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  get: 'SELECT config FROM apigw_client_certificates WHERE account_id = ? AND region = ? AND id = ?',
  list: 'SELECT config FROM apigw_client_certificates WHERE account_id = ? AND region = ? ORDER BY created_ms, id',
  update: 'UPDATE apigw_client_certificates SET config = ? WHERE account_id = ? AND region = ? AND id = ?',
  delete: 'DELETE FROM apigw_client_certificates WHERE account_id = ? AND region = ? AND id = ?',
};

/** The key columns of a certificate, in the order the statements above take them after their other values. */
export const clientCertificateKey = (c: Pick<ClientCertificateRecord, 'accountId' | 'region' | 'id'>): string[] => [c.accountId, c.region, c.id];

export const insertParams = (c: ClientCertificateRecord): unknown[] => [...clientCertificateKey(c), c.createdDate, JSON.stringify(c)];

export const clientCertificateOf = (config: string): ClientCertificateRecord => JSON.parse(config) as ClientCertificateRecord;
