// Test support: real AWS clients (SDK v3 and the AWS CLI v2) pointed at a Stagecraft server.
import { execFile } from 'node:child_process';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { testCredentials, testRegion } from './server.js';

const clientConfig = (endpoint: string, region = testRegion) => ({ endpoint, region, credentials: testCredentials, maxAttempts: 1 });

export const lambdaClient = (endpoint: string, region?: string) => new LambdaClient(clientConfig(endpoint, region));
export const apiGatewayClient = (endpoint: string, region?: string) => new APIGatewayClient(clientConfig(endpoint, region));
export const httpApiClient = (endpoint: string, region?: string) => new ApiGatewayV2Client(clientConfig(endpoint, region));
export const logsClient = (endpoint: string, region?: string) => new CloudWatchLogsClient(clientConfig(endpoint, region));
export const cloudWatchClient = (endpoint: string, region?: string) => new CloudWatchClient(clientConfig(endpoint, region));
export const sqsClient = (endpoint: string, region?: string) => new SQSClient(clientConfig(endpoint, region));
export const eventBridgeClient = (endpoint: string, region?: string) => new EventBridgeClient(clientConfig(endpoint, region));
export const snsClient = (endpoint: string, region?: string) => new SNSClient(clientConfig(endpoint, region));
export const dynamoDbClient = (endpoint: string, region?: string) => new DynamoDBClient(clientConfig(endpoint, region));
export const ssmClient = (endpoint: string, region?: string) => new SSMClient(clientConfig(endpoint, region));
export const secretsManagerClient = (endpoint: string, region?: string) => new SecretsManagerClient(clientConfig(endpoint, region));
export const s3Client = (endpoint: string, region?: string) => new S3Client({ ...clientConfig(endpoint, region), forcePathStyle: true });

/** The AWS CLI v2 from Debian's awscli package. */
export const AWS_CLI = process.env.STAGECRAFT_AWS_CLI ?? '/usr/bin/aws';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** The environment the AWS CLI runs with in tests: test credentials, no pager, no retries. */
export function awsCliEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

/** Runs `aws --endpoint-url <endpoint> <args>` and collects its output (never throws on non-zero exit). */
export function awsCli(endpoint: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(AWS_CLI, ['--endpoint-url', endpoint, '--region', testRegion, '--output', 'json', ...args], {
      cwd: options.cwd,
      env: awsCliEnvironment(options.env),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

/** The error an SDK call fails with (name, message, HTTP status); throws when the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected a failure');
}
