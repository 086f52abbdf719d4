// Worker thread that stores function log lines for ThreadedLogAppender (threaded-log-appender.ts):
// its own connection to the server's SQLite file, one transaction per batch, answers in order.
// Inserting lines is the server's largest piece of work that no request waits for; here it runs
// beside the event loop instead of on it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteLogsStore } from './logs-store.js';
import type { AppendRequest, AppendReply } from './threaded-log-appender.js';

const { path } = workerData as { path: string };
const db = new Database(path);
// The same settings as the server's own connection (database.ts): synchronous is per connection.
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const store = new SqliteLogsStore(db);

parentPort!.on('message', (request: AppendRequest) => {
  // The transaction runs synchronously inside appendMany, so replies keep the order of requests.
  store.appendMany(request.items, request.ingestionMs).then(
    () => parentPort!.postMessage({ id: request.id } satisfies AppendReply),
    (e: unknown) => parentPort!.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies AppendReply),
  );
});
