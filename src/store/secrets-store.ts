// Secrets Manager's state: one document per secret with its versions and their staging labels,
// so moving AWSCURRENT/AWSPREVIOUS between versions is one write.
import type { NamedDocuments } from './named-documents.js';

export interface SecretTag {
  Key: string;
  Value: string;
}

export interface StoredSecretVersion {
  versionId: string;
  secretString?: string;
  /** SecretBinary, base64. */
  secretBinary?: string;
  stages: string[];
  createdMs: number;
}

export interface StoredSecret {
  arn: string;
  description?: string;
  kmsKeyId?: string;
  tags: SecretTag[];
  createdMs: number;
  lastChangedMs: number;
  lastAccessedMs?: number;
  /** When DeleteSecret was called, and when the secret is gone for good (absent unless scheduled). */
  deletedMs?: number;
  deletionDateMs?: number;
  versions: StoredSecretVersion[];
}

export type SecretsStore = NamedDocuments<StoredSecret>;
