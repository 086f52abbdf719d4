// Which blobs the stores reference (the blob collector keeps these): the code of every function's
// $LATEST and published versions, the layers' content those configurations keep by hash (a deleted
// layer version a function still uses stays), every layer version's content, every S3 object and
// every part of an S3 multipart upload in progress. Same statements on SQLite and PostgreSQL.
import type { SqlRunner } from './metric-filters.js';

export interface BlobReferences {
  /** Hex SHA-256 blob keys. */
  hashes: Set<string>;
  /** The ordered layer hash lists of the configurations: their merged trees are kept too. */
  layerLists: string[][];
}

interface ConfigJson { CodeHash?: string; LayerHashes?: string[]; codeHash?: string }

export async function blobReferences(sql: SqlRunner): Promise<BlobReferences> {
  const hashes = new Set<string>();
  const layerLists: string[][] = [];
  const configs = [
    ...(await sql.all<{ config: string }>('SELECT latest AS config FROM lambda_functions')),
    ...(await sql.all<{ config: string }>('SELECT config FROM lambda_versions')),
    ...(await sql.all<{ config: string }>('SELECT config FROM lambda_layer_versions')),
  ];
  for (const { config } of configs) {
    const c = JSON.parse(config) as ConfigJson;
    if (c.CodeHash) hashes.add(c.CodeHash);
    if (c.codeHash) hashes.add(c.codeHash);
    if (c.LayerHashes?.length) {
      for (const h of c.LayerHashes) hashes.add(h);
      layerLists.push(c.LayerHashes);
    }
  }
  for (const { blob } of await sql.all<{ blob: string }>('SELECT blob FROM s3_objects UNION SELECT blob FROM s3_parts')) hashes.add(blob);
  return { hashes, layerLists };
}
