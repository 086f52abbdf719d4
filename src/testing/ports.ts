// Test support: a TCP port for a listener a test's function or extension opens itself.
import * as net from 'node:net';

/** A port nothing listens on now (the OS's pick, released at once). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
