// The store contract suites on embedded SQLite, each case in its own temporary data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './database.js';
import { allMigrations } from './migrations.js';
import { SqliteLambdaStore } from './lambda-store.js';
import { SqliteAsyncQueueStore } from './async-queue-store.js';
import { SqliteApiGatewayStore } from './apigateway-store.js';
import { SqliteLogsStore, sqliteRunner } from './logs-store.js';
import { SqliteHttpApiStore } from './httpapi-store.js';
import { SqliteFunctionCredentialsStore } from './function-credentials-store.js';
import { SqliteHookExecutionsStore } from './hook-executions-store.js';
import { SqliteDocumentationStore } from './documentation-store.js';
import { SqliteVpcLinkStore } from './vpc-link-store.js';
import { SqliteClientCertificateStore } from './client-certificate-store.js';
import type { StoreBackend } from '../contract/backend.js';
import { lambdaStoreContract } from '../contract/lambda.contract.js';
import { asyncQueueStoreContract } from '../contract/async-queue.contract.js';
import { apiGatewayStoreContract } from '../contract/apigateway.contract.js';
import { logsStoreContract } from '../contract/logs.contract.js';
import { metricFilterStoreContract } from '../contract/metric-filters.contract.js';
import { subscriptionFilterStoreContract } from '../contract/subscription-filters.contract.js';
import { httpApiStoreContract } from '../contract/httpapi.contract.js';
import { functionCredentialsStoreContract } from '../contract/function-credentials.contract.js';
import { hookExecutionsStoreContract } from '../contract/hook-executions.contract.js';
import { stackExportsRaceContract, stackExportsStoreContract } from '../contract/stack-exports.contract.js';
import { SqliteStackExportsStore } from './stack-exports-store.js';
import { documentationStoreContract } from '../contract/documentation.contract.js';
import { vpcLinkStoreContract } from '../contract/vpc-links.contract.js';
import { clientCertificateStoreContract } from '../contract/client-certificates.contract.js';
import { cloudWatchStoreContract } from '../contract/cloudwatch.contract.js';
import { SqliteCloudWatchStore } from './cloudwatch-store.js';
import { dashboardStoreContract } from '../contract/dashboards.contract.js';
import { iamStoreContract } from '../contract/iam.contract.js';
import { sqliteIamStore } from './iam-store.js';
import { insightsQueryStoreContract } from '../contract/insights-queries.contract.js';
import { SqlInsightsQueryStore } from '../rows/insights-queries.js';
import { SqlCloudFormationStacksStore } from '../rows/cloudformation-stacks.js';
import { cloudFormationStacksStoreContract } from '../contract/cloudformation-stacks.contract.js';
import { SqliteDashboardStore } from './dashboard-store.js';
import { SqlS3Store } from '../rows/s3.js';
import { s3StoreContract } from '../contract/s3.contract.js';
import { SqlSqsStore } from '../rows/sqs.js';
import { sqsStoreContract } from '../contract/sqs.contract.js';
import { SqlEventsStore } from '../rows/events.js';
import { eventsStoreContract } from '../contract/events.contract.js';
import { SqlDynamoDbStore, sqliteAtomically } from '../rows/dynamodb.js';
import { dynamodbStoreContract } from '../contract/dynamodb.contract.js';
import { SqlSnsStore } from '../rows/sns.js';
import { snsStoreContract } from '../contract/sns.contract.js';
import { SqlEventSourceMappingStore } from '../rows/event-source-mappings.js';
import { SqlNamedDocuments } from '../rows/named-documents.js';
import { ssmSecretsStoreContract } from '../contract/ssm-secrets.contract.js';
import { eventSourceMappingStoreContract } from '../contract/event-source-mappings.contract.js';

const sqlite: StoreBackend = {
  name: 'sqlite',
  async open(location?: string) {
    const dir = location ?? mkdtempSync(join(tmpdir(), 'stagecraft-store-'));
    const db = openSqlite(dir, allMigrations);
    return {
      lambda: new SqliteLambdaStore(db),
      queue: new SqliteAsyncQueueStore(db),
      apigateway: new SqliteApiGatewayStore(db),
      httpapi: new SqliteHttpApiStore(db),
      logs: new SqliteLogsStore(db),
      functionCredentials: new SqliteFunctionCredentialsStore(db),
      hookExecutions: new SqliteHookExecutionsStore(db),
      stackExports: new SqliteStackExportsStore(db),
      documentation: new SqliteDocumentationStore(db),
      vpcLinks: new SqliteVpcLinkStore(db),
      clientCertificates: new SqliteClientCertificateStore(db),
      cloudwatch: new SqliteCloudWatchStore(db),
      dashboards: new SqliteDashboardStore(db),
      insightsQueries: new SqlInsightsQueryStore(sqliteRunner(db)),
      iam: sqliteIamStore(db),
      cloudformationStacks: new SqlCloudFormationStacksStore(sqliteRunner(db)),
      s3: new SqlS3Store(sqliteRunner(db)),
      sqs: new SqlSqsStore(sqliteRunner(db)),
      events: new SqlEventsStore(sqliteRunner(db)),
      sns: new SqlSnsStore(sqliteRunner(db)),
      dynamodb: new SqlDynamoDbStore(sqliteRunner(db), sqliteAtomically(db)),
      eventSourceMappings: new SqlEventSourceMappingStore(sqliteRunner(db)),
      ssm: new SqlNamedDocuments(sqliteRunner(db), 'ssm_parameters'),
      secrets: new SqlNamedDocuments(sqliteRunner(db), 'secretsmanager_secrets'),
      location: dir,
      async close(options = {}) {
        db.close();
        if (!options.keep) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

lambdaStoreContract(sqlite);
asyncQueueStoreContract(sqlite);
apiGatewayStoreContract(sqlite);
logsStoreContract(sqlite);
metricFilterStoreContract(sqlite);
subscriptionFilterStoreContract(sqlite);
httpApiStoreContract(sqlite);
functionCredentialsStoreContract(sqlite);
hookExecutionsStoreContract(sqlite);
stackExportsStoreContract(sqlite);
stackExportsRaceContract(sqlite);
documentationStoreContract(sqlite);
vpcLinkStoreContract(sqlite);
clientCertificateStoreContract(sqlite);
dashboardStoreContract(sqlite);
iamStoreContract(sqlite);
insightsQueryStoreContract(sqlite);
cloudFormationStacksStoreContract(sqlite);
cloudWatchStoreContract(sqlite);
s3StoreContract(sqlite);
sqsStoreContract(sqlite);
eventsStoreContract(sqlite);
dynamodbStoreContract(sqlite);
ssmSecretsStoreContract(sqlite);
snsStoreContract(sqlite);
eventSourceMappingStoreContract(sqlite);
