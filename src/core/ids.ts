// Identifiers in the forms AWS uses.
import { randomUUID, randomBytes } from 'node:crypto';

export const newRequestId = (): string => randomUUID();
export const newRevisionId = (): string => randomUUID();

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** API Gateway style ids: 10 lowercase alphanumerics (rest APIs, resources, deployments...). */
export function newShortId(length = 10): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}

/** Lambda's LastModified format: 2024-01-31T12:34:56.789+0000. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
