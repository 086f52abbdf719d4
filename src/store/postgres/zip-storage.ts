// Code zips in the cluster's database, keyed by their hex SHA-256 (table code_blobs): written once
// by the node that accepts the upload, read by any node the first time it needs the code.
import type { ZipStorage } from '../blobs.js';
import type { PgDb } from './database.js';

export class PgZipStorage implements ZipStorage {
  constructor(private readonly db: PgDb) {}

  async touch(hash: string): Promise<boolean> {
    // A collector's DELETE that waits on this row re-reads created_ms, and so spares it.
    return (await this.db.run('UPDATE code_blobs SET created_ms = ? WHERE hash = ?', [Date.now(), hash])) > 0;
  }

  async put(hash: string, zip: Buffer): Promise<void> {
    await this.db.run('INSERT INTO code_blobs (hash, zip, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [hash, zip, Date.now()]);
  }

  async get(hash: string): Promise<Buffer | undefined> {
    return (await this.db.get<{ zip: Buffer }>('SELECT zip FROM code_blobs WHERE hash = ?', [hash]))?.zip;
  }

  /**
   * Deletes the rows older than `cutoffMs` that `keep` lacks, each in a statement that checks again
   * for a reference committed since `keep` was read (configurations hold hashes in their JSON). A
   * node about to reference a zip touched it first (touch), which this DELETE then re-reads and spares.
   */
  async collect(keep: ReadonlySet<string>, cutoffMs: number): Promise<{ count: number; bytes: number }> {
    const old = await this.db.all<{ hash: string }>('SELECT hash FROM code_blobs WHERE created_ms < ?', [cutoffMs]);
    let count = 0;
    let bytes = 0;
    for (const { hash } of old) {
      if (keep.has(hash)) continue;
      const gone = await this.db.all<{ size: number }>(`DELETE FROM code_blobs b WHERE b.hash = ? AND b.created_ms < ?
        AND NOT EXISTS (SELECT 1 FROM s3_objects WHERE blob = b.hash) AND NOT EXISTS (SELECT 1 FROM s3_parts WHERE blob = b.hash)
        AND NOT EXISTS (SELECT 1 FROM lambda_functions WHERE strpos(latest, b.hash) > 0)
        AND NOT EXISTS (SELECT 1 FROM lambda_versions WHERE strpos(config, b.hash) > 0)
        AND NOT EXISTS (SELECT 1 FROM lambda_layer_versions WHERE strpos(config, b.hash) > 0)
        RETURNING octet_length(b.zip) AS size`, [hash, cutoffMs]);
      count += gone.length;
      for (const g of gone) bytes += Number(g.size);
    }
    return { count, bytes };
  }
}
