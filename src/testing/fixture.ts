// Test support: one real server per test file (started before its tests, stopped after) and AWS
// SDK v3 clients for it, made on first use. Replaces the same before/after block in every suite.
import { before, after } from 'node:test';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startServerProcess, type ServerProcess } from './server.js';
import { apiGatewayClient, lambdaClient, logsClient } from './aws.js';

export interface ServerFixture {
  readonly server: ServerProcess;
  readonly url: string;
  readonly lambda: LambdaClient;
  readonly apigw: APIGatewayClient;
  readonly logs: CloudWatchLogsClient;
  /** Serves on another server process from now on (after a restart); clients are made anew. */
  replace(server: ServerProcess): void;
}

export function useServer(options?: Parameters<typeof startServerProcess>[0]): ServerFixture {
  let server: ServerProcess | undefined;
  const clients: { lambda?: LambdaClient; apigw?: APIGatewayClient; logs?: CloudWatchLogsClient } = {};
  before(async () => {
    server = await startServerProcess(options);
  });
  after(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await server?.stop();
  });
  const running = (): ServerProcess => {
    if (!server) throw new Error('useServer(): the server starts in a before() hook; use it inside tests');
    return server;
  };
  return {
    get server() { return running(); },
    get url() { return running().url; },
    get lambda() { return (clients.lambda ??= lambdaClient(running().url)); },
    get apigw() { return (clients.apigw ??= apiGatewayClient(running().url)); },
    get logs() { return (clients.logs ??= logsClient(running().url)); },
    replace(next: ServerProcess) {
      for (const [name, client] of Object.entries(clients)) {
        client.destroy();
        delete clients[name as keyof typeof clients];
      }
      server = next;
    },
  };
}
