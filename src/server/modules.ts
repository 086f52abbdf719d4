// Builds each feature module and lists what the edge serves. One line per module: adding a
// service means writing its module folder and registering it here.
import type { Config } from '../core/config.js';
import type { SqliteDb } from '../store/sqlite/database.js';
import type { ServiceModule } from './service-module.js';
import type { FrontHandler } from './edge.js';

export interface Modules {
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

  void config;
  void db;

  return {
    services,
    fronts,
    health: () => Object.assign({}, ...healthParts.map((h) => h())),
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
