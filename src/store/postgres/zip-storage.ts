// Code zips in the cluster's database, keyed by their hex SHA-256 (table code_blobs): written once
// by the node that accepts the upload, read by any node the first time it needs the code.
import type { ZipStorage } from '../blobs.js';
import type { PgDb } from './database.js';

export class PgZipStorage implements ZipStorage {
  constructor(private readonly db: PgDb) {}

  async has(hash: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 FROM code_blobs WHERE hash = ?', [hash])) !== undefined;
  }

  async put(hash: string, zip: Buffer): Promise<void> {
    await this.db.run('INSERT INTO code_blobs (hash, zip, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [hash, zip, Date.now()]);
  }

  async get(hash: string): Promise<Buffer | undefined> {
    return (await this.db.get<{ zip: Buffer }>('SELECT zip FROM code_blobs WHERE hash = ?', [hash]))?.zip;
  }
}
