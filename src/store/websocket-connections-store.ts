// Where the WebSocket connections of a cluster are held. A connection is a socket on one node; the
// others look it up here to forward the @connections calls they get for it. Embedded SQLite has one
// node, which finds its connections in memory, so it has no such store.

/** A connection a node holds, and the URL other nodes reach that node at. */
export interface HeldConnection {
  connectionId: string;
  apiId: string;
  stage: string;
  nodeId: string;
  nodeUrl: string;
  connectedAt: number;
}

export interface WebSocketConnectionsStore {
  /** This node's id: rows written through this store carry it. */
  readonly nodeId: string;
  /** Records a connection this node has accepted. */
  add(connection: Omit<HeldConnection, 'nodeId'>): Promise<void>;
  /**
   * Forgets a connection while `holder` (default: this node) is named as holding it: one this node
   * held that closed, or one of a node that no longer answers.
   */
  remove(connectionId: string, holder?: string): Promise<void>;
  find(connectionId: string): Promise<HeldConnection | undefined>;
  /** Forgets every connection this node held (at start after a crash, and at shutdown). */
  releaseAll(): Promise<void>;
}
