// The credentials a function's AWS SDK calls sign with, as AWS gives a function its execution role's
// temporary credentials. With signature verification on, they are a random temporary key (ASIA…,
// secret, session token) kept in the store, which the verifier accepts together with its session
// token; with verification off, functions keep the environment pool's fixed dummy credentials.
import { randomBytes } from 'node:crypto';
import type { FunctionCredentials, FunctionCredentialsStore } from '../store/function-credentials-store.js';

/** The characters of AWS access key ids after their prefix. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function generateFunctionCredentials(): FunctionCredentials {
  // 32 characters: a byte's low five bits pick one without bias.
  const id = [...randomBytes(16)].map((b) => KEY_ALPHABET[b & 31]).join('');
  return {
    accessKeyId: `ASIA${id}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
}

/** The functions' credentials when `verifying`, shared through the store by every node; otherwise undefined (the dummy ones). */
export async function functionCredentials(verifying: boolean, store: FunctionCredentialsStore): Promise<FunctionCredentials | undefined> {
  return verifying ? store.getOrCreate(generateFunctionCredentials()) : undefined;
}
