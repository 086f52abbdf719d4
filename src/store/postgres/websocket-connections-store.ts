// WebSocketConnectionsStore on PostgreSQL: one row per connection a node of the cluster holds.
import type { HeldConnection, WebSocketConnectionsStore } from '../websocket-connections-store.js';
import type { PgDb } from './database.js';

interface Row {
  connection_id: string;
  api_id: string;
  stage: string;
  node_id: string;
  node_url: string;
  connected_ms: number;
}

export class PgWebSocketConnectionsStore implements WebSocketConnectionsStore {
  readonly #db: PgDb;
  readonly nodeId: string;

  constructor(db: PgDb, nodeId: string) {
    this.#db = db;
    this.nodeId = nodeId;
  }

  async add(c: Omit<HeldConnection, 'nodeId'>): Promise<void> {
    await this.#db.run(
      'INSERT INTO websocket_connections (connection_id, api_id, stage, node_id, node_url, connected_ms) VALUES (?, ?, ?, ?, ?, ?)',
      [c.connectionId, c.apiId, c.stage, this.nodeId, c.nodeUrl, c.connectedAt],
    );
  }

  async remove(connectionId: string, holder = this.nodeId): Promise<void> {
    await this.#db.run('DELETE FROM websocket_connections WHERE connection_id = ? AND node_id = ?', [connectionId, holder]);
  }

  async find(connectionId: string): Promise<HeldConnection | undefined> {
    const r = await this.#db.get<Row>('SELECT * FROM websocket_connections WHERE connection_id = ?', [connectionId]);
    return r && { connectionId: r.connection_id, apiId: r.api_id, stage: r.stage, nodeId: r.node_id, nodeUrl: r.node_url, connectedAt: r.connected_ms };
  }

  async releaseAll(): Promise<void> {
    await this.#db.run('DELETE FROM websocket_connections WHERE node_id = ?', [this.nodeId]);
  }
}
