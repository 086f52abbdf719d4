// The composition root: builds every module from the configuration, wires them together
// and serves them on one HTTP port. Nothing else constructs long-lived components.
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { parseConfig, type Config, type ConfigInput } from '../core/config.js';
import { createEdge } from './edge.js';
import { openStorage, type Storage } from './storage.js';
import { claimDataDir } from './data-dir.js';
import { drainAndClose } from './drain.js';
import { createPlatformEndpoints } from './platform-endpoints.js';
import { logger } from '../core/logger.js';
import { buildModules, type Modules } from './modules.js';
import { advertiseUrl } from './advertise-url.js';
import { STAGECRAFT_VERSION } from '../core/version.js';
import { endUpgradeAnswer } from './upgrade-answer.js';
import { lingerOnClose } from './lingering-close.js';

export interface RunningStagecraft {
  config: Config;
  url: string;
  port: number;
  /** Where the other nodes of a cluster reach this one. */
  advertiseUrl: string;
  modules: Modules;
  close(): Promise<void>;
}


export async function startStagecraft(input: ConfigInput = {}): Promise<RunningStagecraft> {
  const config = parseConfig(input);
  config.dataDir = resolve(config.dataDir);
  const claim = claimDataDir(config.dataDir);
  let storage: Storage | undefined;
  let modules: Modules;
  try {
    storage = await openStorage(config);
    modules = await buildModules(config, storage);
  } catch (e) {
    await storage?.close().catch(() => undefined);
    claim.release();
    throw e;
  }
  const opened = storage;
  const startedAt = Date.now();
  const edge = createEdge({
    accountId: config.accountId,
    defaultRegion: config.defaultRegion,
    fronts: [...modules.fronts, createPlatformEndpoints({ version: STAGECRAFT_VERSION, startedAt, modules, config })],
    services: modules.services,
    verifier: modules.verifier,
    consoleSessions: modules.consoleSessions,
    bodyBudget: modules.bodyBudget,
  });
  // Clients that never finish a request (slowloris headers, a chunked body that never ends) are cut
  // off after requestTimeoutMs; the check runs a few times within that span.
  const requestTimeout = config.requestTimeoutMs;
  const server: Server = createServer({
    keepAliveTimeout: 65_000, requestTimeout, headersTimeout: Math.min(66_000, requestTimeout),
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeout / 4))),
  }, (req, res) => void edge(req, res));
  server.on('connection', (socket: Socket) => lingerOnClose(socket));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));
  /** WebSocket APIs take their upgrades; any other upgrade request is answered as the plain request it also is. */
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    // The HTTP server stops watching an upgraded socket: a client that vanishes must not crash the process.
    socket.on('error', (e) => logger.debug('upgraded socket failed', { error: e.message }));
    try {
      if (await modules.upgrade(req, socket, head)) return;
    } catch (e) {
      logger.error('upgrade failed', { error: e instanceof Error ? e.stack : String(e) });
      socket.destroy();
      return;
    }
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => endUpgradeAnswer(socket));
    await edge(req, res);
  };
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  }).catch(async (e: unknown) => {
    await modules.close().catch(() => undefined);
    await opened.close().catch(() => undefined);
    claim.release();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const advertised = advertiseUrl(config.advertiseUrl, config.host, port);
  modules.listening(`http://${host}:${port}`, advertised);
  let closing: Promise<void> | undefined;
  return {
    config,
    port,
    url: `http://${host}:${port}`,
    advertiseUrl: advertised,
    modules,
    close() {
      closing ??= (async () => {
        modules.stopping();
        await modules.closeWebSockets();
        await drainAndClose(server);
        await modules.close();
        await opened.close();
        claim.release();
        logger.debug('stagecraft stopped');
      })();
      return closing;
    },
  };
}
