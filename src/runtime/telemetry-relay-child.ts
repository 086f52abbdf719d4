// The relay inside an environment's network namespace (telemetry-relay.ts): POSTs each batch it is
// sent to the extension's listener on the namespace's loopback, then answers with the batch's id.
import { postBatch } from './telemetry-api.js';
import type { RelayMessage } from './telemetry-relay.js';

process.on('message', (m: RelayMessage) => {
  void postBatch(new URL(m.url!), m.body!).then(() => process.send?.({ id: m.id } satisfies RelayMessage));
});
// The environment (or the server) is gone.
process.on('disconnect', () => process.exit(0));
