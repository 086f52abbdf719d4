// Lingering close, as web servers do it: when the server answers before it has read the whole
// request (an early 400, 403 or 413) and then closes, the unread bytes make the kernel reset the
// connection, and the reset can destroy the answer before the client reads it. So the socket is
// half-closed instead — the answer and a FIN go out — and what the client still sends is read and
// dropped until it closes too, for at most LINGER_MS.
import type { Socket } from 'node:net';

export const LINGER_MS = 5_000;

/** Replaces the socket's `destroySoon` (what Node's HTTP server calls after a closing answer) with a lingering close. */
export function lingerOnClose(socket: Socket, ms = LINGER_MS): void {
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    if (socket.readableEnded || socket.destroyed) return destroySoon();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), ms).unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
    socket.resume();
  };
}
