// Committed changes told to the other nodes of a cluster, so each drops what its caches hold.
// Embedded SQLite has one node and no feed; on PostgreSQL the feed is LISTEN/NOTIFY
// (src/store/postgres/change-feed.ts). A node never hears its own messages: it has already
// dropped what it changed.
export interface ChangeFeed {
  /**
   * Calls `onMessage` with each message another node sends on `topic`, and `onResync` when messages
   * may have been missed (the feed reconnected): then everything cached must go.
   */
  subscribe(topic: string, onMessage: (message: unknown) => void, onResync: () => void): () => void;
  /** Sends a message to the other nodes (after any transaction it depends on has committed). */
  publish(topic: string, message: unknown): Promise<void>;
}
