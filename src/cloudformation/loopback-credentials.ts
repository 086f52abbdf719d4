// The credentials stack operations sign their calls to this server with: the first configured
// access key when the server verifies signatures (any key is accepted otherwise).
import type { Credentials } from '../deploy/clients.js';

export function loopbackCredentials(configured: Record<string, string> | undefined): Credentials {
  const first = configured && Object.entries(configured)[0];
  return first ? { accessKeyId: first[0], secretAccessKey: first[1] } : { accessKeyId: 'stagecraft', secretAccessKey: 'stagecraft' };
}
