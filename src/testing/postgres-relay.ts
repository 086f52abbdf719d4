// Test support: a TCP relay between a server and its PostgreSQL that a test controls, to cause
// the database outages a cluster node meets (a partition, a stopped database).
import net from 'node:net';

export type RelayMode = 'forward' | 'silent' | 'refuse';

/**
 * A TCP relay to PostgreSQL: forwards, drops every byte both ways and every close ('silent', as a
 * partition or a dead host does), or resets every connection ('refuse', as a stopped database does).
 */
export class PostgresRelay {
  mode: RelayMode = 'forward';
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(target: URL): Promise<PostgresRelay> {
    let relay: PostgresRelay | undefined;
    const server = net.createServer((client) => relay!.#accept(client, target));
    relay = new PostgresRelay(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  #accept(client: net.Socket, target: URL): void {
    if (this.mode === 'refuse') return void client.resetAndDestroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.#sockets.add(from);
      from.on('data', (chunk) => void (this.mode === 'forward' && to.write(chunk)));
      from.on('error', () => undefined);
      // A partition delivers no FIN either: the database keeps a silent client's connection.
      from.on('close', () => {
        this.#sockets.delete(from);
        if (this.mode !== 'silent') to.destroy();
      });
    }
  }

  /** Refuses new connections and resets the open ones, as a database that went down does. */
  refuse(): void {
    this.mode = 'refuse';
    for (const s of this.#sockets) s.resetAndDestroy();
  }

  /**
   * `databaseUrl` as reached through this relay; its queries give up after `queryTimeoutMs`
   * (node-postgres's query_timeout URL parameter; 20 s by default).
   */
  url(databaseUrl: string, queryTimeoutMs = 2000): string {
    const relayed = new URL(databaseUrl);
    relayed.port = String(this.port);
    relayed.searchParams.set('query_timeout', String(queryTimeoutMs));
    return relayed.toString();
  }

  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
