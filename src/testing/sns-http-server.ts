// Test support: a server for HTTP/S subscription tests, with SNS and SQS clients and a listener
// (an HTTP endpoint) started before the tests and closed after them.
import { after } from 'node:test';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { useServer, type ServerFixture } from './fixture.js';
import { snsClient, sqsClient } from './aws.js';
import { SnsListener } from './sns-listener.js';

export interface SnsHttpServer {
  env: ServerFixture;
  listener: SnsListener;
  /** Set once the server is up (in the tests, not at module load). */
  sns: SNSClient;
  sqs: SQSClient;
  /** The listener's base URL. */
  endpoint: string;
}

export function useSnsHttpServer(args: string[]): SnsHttpServer {
  const env = useServer({ args });
  const listener = new SnsListener();
  const server = { env, listener, endpoint: '' } as SnsHttpServer;
  env.setup(async () => {
    server.sns = snsClient(env.url);
    server.sqs = sqsClient(env.url);
    server.endpoint = await listener.start();
  });
  after(() => listener.close());
  return server;
}
