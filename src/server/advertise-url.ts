// The URL the other nodes of a cluster reach this node at: `--advertise-url` when given, else the
// address it listens on — a wildcard address (0.0.0.0, ::) is no address to call, so loopback then,
// which suits nodes on one host; nodes on several hosts each advertise their own reachable URL.

export function advertiseUrl(configured: string | undefined, host: string, port: number): string {
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  const callable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${callable.includes(':') ? `[${callable}]` : callable}:${port}`;
}
