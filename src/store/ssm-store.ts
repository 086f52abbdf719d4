// SSM Parameter Store's state: one document per parameter holding its whole version history (the
// last entry is the current version), so a put, a label move or a tag change is one write.
import type { NamedDocuments } from './named-documents.js';

export interface ParameterTag {
  Key: string;
  Value: string;
}

export interface StoredParameterVersion {
  version: number;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  description?: string;
  allowedPattern?: string;
  /** SecureString's KMS key id as given (default alias/aws/ssm); nothing is encrypted. */
  keyId?: string;
  tier: 'Standard' | 'Advanced';
  dataType: string;
  policies?: string;
  labels: string[];
  lastModifiedMs: number;
  lastModifiedUser: string;
}

export interface StoredParameter {
  versions: StoredParameterVersion[];
  tags: ParameterTag[];
}

export type SsmStore = NamedDocuments<StoredParameter>;
