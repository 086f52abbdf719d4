// A graceful stop answers the requests in flight (an invocation running, a deployment being
// written) before it closes their connections: the listener stops at once, idle keep-alive
// connections close, connections close as their requests finish, and what is still running gets
// at most `ms` to finish. Nothing is tracked per request: the server knows which connections are
// idle, so the stop asks it again every few milliseconds.
import type { Server } from 'node:http';

export const DRAIN_MS = 10_000;
/** How often a stopping server closes the connections whose requests have finished meanwhile. */
const SWEEP_MS = 20;

/** Stops listening, waits for the requests in flight (at most `ms`), then closes every connection. */
export async function drainAndClose(server: Server, ms = DRAIN_MS): Promise<void> {
  let done = false;
  const closed = new Promise<void>((ok) => server.close(() => ok())).finally(() => (done = true));
  server.closeIdleConnections();
  const deadline = Date.now() + ms;
  while (!done && Date.now() < deadline) {
    await Promise.race([closed, new Promise((ok) => setTimeout(ok, SWEEP_MS))]);
    server.closeIdleConnections();
  }
  server.closeAllConnections();
  await closed;
}
