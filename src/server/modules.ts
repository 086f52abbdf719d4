// Builds each feature module and lists what the edge serves. One line per module: adding a
// service means writing its module folder and registering it here.
import type { Config } from '../core/config.js';
import type { SqliteDb } from '../store/sqlite/database.js';
import type { ServiceModule } from './service-module.js';
import type { FrontHandler } from './edge.js';
import { createLogsModule } from '../logs/module.js';
import { createStsModule } from '../sts/module.js';
import { BlobStore } from '../store/blobs.js';
import { SqliteLambdaStore } from '../store/sqlite/lambda-store.js';
import { FunctionCache } from '../lambda/function-cache.js';
import { ConcurrencyTracker } from '../lambda/concurrency-tracker.js';
import { createLambdaModule } from '../lambda/module.js';
import type { Invoker } from '../lambda/invoke.js';
import type { Executor, LogWriter } from '../lambda/deps.js';
import { createApiGateway } from '../apigateway/module.js';
import { SqliteApiGatewayStore } from '../store/sqlite/apigateway-store.js';

export interface Modules {
  /** The one invoke pipeline (API Gateway and the console call functions through it). */
  invoker: Invoker;
  services: ServiceModule[];
  fronts: FrontHandler[];
  /** Facts for /_stagecraft/health and the banner. */
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

export async function buildModules(config: Config, db: SqliteDb): Promise<Modules> {
  const services: ServiceModule[] = [];
  const fronts: FrontHandler[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const healthParts: (() => Record<string, unknown>)[] = [];

  // CloudWatch Logs first: it is closed last, after the modules that write function logs to its sink.
  const logsModule = createLogsModule(db);
  services.push(logsModule.service);
  healthParts.push(logsModule.health);
  closers.push(() => logsModule.close());
  services.push(createStsModule());

  const blobs = new BlobStore(config.dataDir);
  const lambdaStore = new SqliteLambdaStore(db);
  const cache = new FunctionCache(lambdaStore);
  const executor: Executor = {
    invoke: () => Promise.reject(new Error('execution environments are not available yet')),
    evict: () => undefined,
  };
  const logs: LogWriter = { append: () => undefined };
  const lambda = createLambdaModule({ config, store: lambdaStore, blobs, cache, concurrency: new ConcurrencyTracker(config.accountConcurrency), executor, logs });
  services.push(lambda.service);
  fronts.push(lambda.codeDownloads);
  closers.push(() => lambda.invoker.drain());

  // API Gateway control plane; `apiGateway.stages` is the read API the execute-api front uses.
  const apiGateway = createApiGateway({ store: new SqliteApiGatewayStore(db) });
  services.push(apiGateway.service);
  closers.push(() => apiGateway.close());

  return {
    invoker: lambda.invoker,
    services,
    fronts,
    health: () => Object.assign({}, ...healthParts.map((h) => h())),
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
