// An upgrade request answered with a plain HTTP response instead of a protocol switch. The HTTP
// server has let go of the socket and nothing reads it, so the client's close would never be seen
// and the socket would stay open for good (one per refused handshake, and a stop that never ends):
// after the answer, what the client still sends is read and dropped until it closes its side.
import type { Duplex } from 'node:stream';

/** Ends `socket` after `answer` (if any), and keeps reading so the client's close closes it. */
export function endUpgradeAnswer(socket: Duplex, answer?: string): void {
  if (answer === undefined) socket.end();
  else socket.end(answer);
  socket.resume();
}
