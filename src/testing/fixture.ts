// Test support: a real server with AWS SDK v3 clients for it (made on first use), and the fixture
// most suites want: one such server per test file, started before its tests and stopped after.
import { before, after } from 'node:test';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startServerProcess, type ServerOptions, type ServerProcess } from './server.js';
import { apiGatewayClient, httpApiClient, lambdaClient, logsClient } from './aws.js';

/** A running server process and clients for it. */
export class TestServer {
  readonly server: ServerProcess;
  readonly #options: ServerOptions;
  #lambda?: LambdaClient;
  #apigw?: APIGatewayClient;
  #apigwv2?: ApiGatewayV2Client;
  #logs?: CloudWatchLogsClient;

  private constructor(server: ServerProcess, options: ServerOptions) {
    this.server = server;
    this.#options = options;
  }

  /** Starts `stagecraft serve` (a new temporary data dir unless `options.dataDir`). */
  static async start(options: ServerOptions = {}): Promise<TestServer> {
    return new TestServer(await startServerProcess(options), options);
  }

  get url(): string { return this.server.url; }
  get lambda(): LambdaClient { return (this.#lambda ??= lambdaClient(this.url)); }
  get apigw(): APIGatewayClient { return (this.#apigw ??= apiGatewayClient(this.url)); }
  /** HTTP APIs (API Gateway v2). */
  get apigwv2(): ApiGatewayV2Client { return (this.#apigwv2 ??= httpApiClient(this.url)); }
  get logs(): CloudWatchLogsClient { return (this.#logs ??= logsClient(this.url)); }

  /** Closes the clients and stops the server, removing its data dir unless `remove: false`. */
  async stop(options?: { remove?: boolean }): Promise<void> {
    this.#closeClients();
    await this.server.stop(options);
  }

  /**
   * Stops the server (SIGTERM, or SIGKILL as a crash would with `crash`) and starts another with
   * the same options on the same data dir; this one's clients are closed.
   */
  async restart(options: { crash?: boolean } = {}): Promise<TestServer> {
    if (options.crash) await this.server.kill9();
    else await this.server.stop({ remove: false });
    this.#closeClients();
    return TestServer.start({ ...this.#options, dataDir: this.server.dataDir });
  }

  #closeClients(): void {
    for (const client of [this.#lambda, this.#apigw, this.#apigwv2, this.#logs]) client?.destroy();
    this.#lambda = this.#apigw = this.#apigwv2 = this.#logs = undefined;
  }
}

export interface ServerFixture {
  readonly server: ServerProcess;
  readonly url: string;
  readonly lambda: LambdaClient;
  readonly apigw: APIGatewayClient;
  readonly apigwv2: ApiGatewayV2Client;
  readonly logs: CloudWatchLogsClient;
  /**
   * Registers a before() hook that runs once the server is up: the suite's own setup. (Node 20
   * starts top-level before() hooks as they are registered, so a plain one would not wait for it.)
   */
  setup(fn: () => void | Promise<void>): void;
  /** Restarts the server on its data dir (see `TestServer.restart`); the fixture serves the new one from then on. */
  restart(options?: { crash?: boolean }): Promise<void>;
}

/** One server for the test file that calls it, started before its tests and stopped after them. */
export function useServer(options: ServerOptions = {}): ServerFixture {
  let current: TestServer | undefined;
  let starting: Promise<void> | undefined;
  const start = () => (starting ??= TestServer.start(options).then((server) => { current = server; }));
  before(start);
  after(async () => {
    await current?.stop();
  });
  const running = (): TestServer => {
    if (!current) throw new Error('useServer(): the server starts in a before() hook; use it in tests and in setup() hooks');
    return current;
  };
  return {
    get server() { return running().server; },
    get url() { return running().url; },
    get lambda() { return running().lambda; },
    get apigw() { return running().apigw; },
    get apigwv2() { return running().apigwv2; },
    get logs() { return running().logs; },
    setup(fn) {
      before(async () => {
        await start();
        await fn();
      });
    },
    async restart(how) {
      current = await running().restart(how);
    },
  };
}
