// Every module's SQLite migrations, in the order they apply. Each has a PostgreSQL twin with the
// same id in src/store/postgres/migrations/ (src/store/postgres/migrations.test.ts checks).
import type { Migration } from './database.js';
import { logsMigrations } from './migrations/logs.js';
import { lambdaMigrations } from './migrations/lambda.js';
import { apigatewayMigrations } from './migrations/apigateway.js';
import { httpApiMigrations } from './migrations/httpapi.js';
import { platformMigrations } from './migrations/platform.js';
import { codedeployMigrations } from './migrations/codedeploy.js';
import { documentationMigrations } from './migrations/documentation.js';
import { vpcLinkMigrations } from './migrations/vpc-links.js';
import { clientCertificateMigrations } from './migrations/client-certificates.js';
import { cloudwatchMigrations } from './migrations/cloudwatch.js';
import { cloudformationMigrations } from './migrations/cloudformation.js';
import { iamMigrations } from './migrations/iam.js';
import { sqsMigrations } from './migrations/sqs.js';
import { s3Migrations } from './migrations/s3.js';
import { eventsMigrations } from './migrations/events.js';
import { snsMigrations } from './migrations/sns.js';
import { ssmSecretsMigrations } from './migrations/ssm-secrets.js';
import { eventSourceMappingMigrations } from './migrations/event-source-mappings.js';
import { dynamodbMigrations } from './migrations/dynamodb.js';

export const allMigrations: Migration[] = [
  ...logsMigrations,
  ...lambdaMigrations,
  ...apigatewayMigrations,
  ...httpApiMigrations,
  ...platformMigrations,
  ...codedeployMigrations,
  ...documentationMigrations,
  ...vpcLinkMigrations,
  ...clientCertificateMigrations,
  ...cloudwatchMigrations,
  ...cloudformationMigrations,
  ...iamMigrations,
  ...s3Migrations,
  ...sqsMigrations,
  ...eventsMigrations,
  ...snsMigrations,
  ...ssmSecretsMigrations,
  ...eventSourceMappingMigrations,
  ...dynamodbMigrations,
];
