// What the store contract suites run against: a backend opens a fresh set of stores (or reopens
// one it made before, by its location) so SQLite and PostgreSQL are held to the same behaviour.
import type { ApiGatewayStore } from '../apigateway-store.js';
import type { AsyncQueueStore } from '../async-queue-store.js';
import type { LambdaStore } from '../lambda-store.js';
import type { LogsStore } from '../logs-store.js';
import type { HttpApiStore } from '../httpapi-store.js';
import type { FunctionCredentialsStore } from '../function-credentials-store.js';
import type { HookExecutionsStore } from '../hook-executions-store.js';
import type { StackExportsStore } from '../stack-exports-store.js';
import type { DocumentationStore } from '../apigateway-documentation-store.js';
import type { VpcLinkStore } from '../vpc-link-store.js';
import type { ClientCertificateStore } from '../client-certificate-store.js';
import type { CloudWatchStore } from '../cloudwatch-store.js';
import type { DashboardStore } from '../dashboard-store.js';
import type { IamStore } from '../iam-store.js';
import type { InsightsQueryStore } from '../insights-query-store.js';
import type { CloudFormationStacksStore } from '../cloudformation-stacks-store.js';
import type { S3Store } from '../s3-store.js';
import type { SqsStore } from '../sqs-store.js';
import type { EventsStore } from '../events-store.js';
import type { SnsStore } from '../sns-store.js';
import type { EventSourceMappingStore } from '../event-source-mapping-store.js';
import type { DynamoDbStore } from '../dynamodb-store.js';
import type { SsmStore } from '../ssm-store.js';
import type { SecretsStore } from '../secrets-store.js';

export interface OpenedStores {
  lambda: LambdaStore;
  queue: AsyncQueueStore;
  apigateway: ApiGatewayStore;
  httpapi: HttpApiStore;
  logs: LogsStore;
  functionCredentials: FunctionCredentialsStore;
  hookExecutions: HookExecutionsStore;
  stackExports: StackExportsStore;
  documentation: DocumentationStore;
  vpcLinks: VpcLinkStore;
  clientCertificates: ClientCertificateStore;
  cloudwatch: CloudWatchStore;
  dashboards: DashboardStore;
  iam: IamStore;
  insightsQueries: InsightsQueryStore;
  cloudformationStacks: CloudFormationStacksStore;
  s3: S3Store;
  sqs: SqsStore;
  events: EventsStore;
  sns: SnsStore;
  eventSourceMappings: EventSourceMappingStore;
  dynamodb: DynamoDbStore;
  ssm: SsmStore;
  secrets: SecretsStore;
  /** Where the state lives (a data dir, a database URL); open(location) reopens it. */
  location: string;
  /** Closes the stores; removes the state unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>;
}

export interface StoreBackend {
  name: string;
  /** Fresh, empty stores; or, with a location from an earlier open, the state left there. */
  open(location?: string): Promise<OpenedStores>;
}
