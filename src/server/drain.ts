// A graceful stop answers the requests in flight (an invocation running, a deployment being
// written) before it closes their connections: the listener stops at once, idle keep-alive
// connections close, and what is still running gets at most `ms` to finish.
import type { Server, ServerResponse } from 'node:http';

export const DRAIN_MS = 10_000;

export class RequestDrain {
  #inFlight = 0;
  #draining = false;
  #settled?: () => void;

  /** Counts a request until its response is done (or its connection gone). */
  track(res: ServerResponse): void {
    if (this.#draining) res.shouldKeepAlive = false; // (answered, then the connection closes)
    this.#inFlight++;
    res.once('close', () => {
      if (--this.#inFlight === 0) this.#settled?.();
    });
  }

  /** Stops listening, waits for the requests in flight (at most `ms`), then closes every connection. */
  async close(server: Server, ms = DRAIN_MS): Promise<void> {
    this.#draining = true;
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    server.closeIdleConnections();
    if (this.#inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((ok) => (this.#settled = ok)),
        new Promise<void>((ok) => (timer = setTimeout(ok, ms))),
      ]);
      clearTimeout(timer);
    }
    server.closeAllConnections();
    await closed;
  }
}
