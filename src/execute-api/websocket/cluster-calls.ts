// In a cluster, an @connections call may reach a node that does not hold the connection. That node
// finds the holder in the shared database and sends the call on (forwarding.ts); a holder that no
// longer answers is taken for dead: its row goes, and the connection is gone (AWS's 410).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { awsError, type AwsError } from '../../core/errors.js';
import { writeError } from '../../aws/protocols/rest-json.js';
import { readBody, BodyTooLargeError } from '../../aws/body.js';
import { logger } from '../../core/logger.js';
import type { WebSocketConnectionsStore } from '../../store/websocket-connections-store.js';
import { FORWARDED_HEADER, type NodeForwarder } from './forwarding.js';

export interface ClusterCallsDeps {
  store: WebSocketConnectionsStore;
  forwarder: NodeForwarder;
  /** True when this node holds the connection open. */
  holds(connectionId: string): boolean;
  /** The largest body a call may carry, and the error for a larger one (as the holder would answer). */
  maxBody: number;
  tooLarge(): AwsError;
}

const PREFIX = '/@connections/';

/**
 * Answers a call for a connection another node holds (true): with the holder's answer, or 410
 * when the holder is unreachable. False leaves the call to this node: the connection is held here,
 * or by no node (gone), or of another API than the callback URL's, or the call was already sent on.
 */
export async function answerForHolder(deps: ClusterCallsDeps, req: IncomingMessage, res: ServerResponse, call: { apiId?: string; rawPath: string; requestId: string }): Promise<boolean> {
  const connectionId = connectionIdOf(call.rawPath);
  if (connectionId === undefined || deps.holds(connectionId) || req.headers[FORWARDED_HEADER] !== undefined) return false;
  const held = await deps.store.find(connectionId);
  if (!held || held.nodeId === deps.store.nodeId || (call.apiId !== undefined && held.apiId !== call.apiId)) return false;
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxBody);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    writeError(res, call, deps.tooLarge());
    return true;
  }
  if (await deps.forwarder.forward({ req, body, nodeUrl: held.nodeUrl, from: deps.store.nodeId }, res)) return true;
  logger.warn('WebSocket API: the node holding a connection does not answer; the connection is taken as gone', { connectionId, nodeId: held.nodeId, nodeUrl: held.nodeUrl });
  await deps.store.remove(connectionId, held.nodeId);
  writeError(res, call, awsError('GoneException', '', { emptyBody: true }));
  return true;
}

function connectionIdOf(rawPath: string): string | undefined {
  if (!rawPath.startsWith(PREFIX)) return undefined;
  const segment = rawPath.slice(PREFIX.length).split('?')[0];
  if (!segment || segment.includes('/')) return undefined;
  try {
    const id = decodeURIComponent(segment);
    // No connection id holds U+0000 (PostgreSQL could not even look it up): the engine answers it (400).
    return id.includes('\u0000') ? undefined : id;
  } catch {
    return undefined;
  }
}
