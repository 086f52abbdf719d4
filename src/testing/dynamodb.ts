// Test support for DynamoDB suites: one SDK client per suite (destroyed after it) and the
// DocumentClient over it.
import { after } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ServerFixture } from './fixture.js';
import { dynamoDbClient } from './aws.js';

export function dynamoDbClients(server: ServerFixture): { ddb: () => DynamoDBClient; doc: () => DynamoDBDocumentClient } {
  let client: DynamoDBClient | undefined;
  after(() => client?.destroy());
  const ddb = (): DynamoDBClient => (client ??= dynamoDbClient(server.url));
  return { ddb, doc: () => DynamoDBDocumentClient.from(ddb()) };
}
