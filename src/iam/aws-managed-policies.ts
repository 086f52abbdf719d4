// AWS managed policies users attach to Lambda roles and their tools, under their real ARNs
// (`arn:aws:iam::aws:policy{path}{name}`), with AWS's published default version: its id, date and
// document. Two broad ones whose documents run to many pages (ReadOnlyAccess, AmazonDynamoDBFullAccess)
// carry a short stand-in granting the same services, as version v1 of STAND_IN_DATE. Stagecraft
// evaluates no policy: only names, paths and ARNs matter to tools.
export interface AwsManagedPolicy {
  name: string;
  path: string;
  description: string;
  /** The default version's id and creation date (also the policy's CreateDate and UpdateDate here). */
  versionId: string;
  date: string;
  document: object;
}

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });

const LOGS_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const STAND_IN_DATE = '2015-02-06T18:39:46Z';

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  { name: 'AWSLambdaBasicExecutionRole', path: '/service-role/', description: 'Provides write permissions to CloudWatch Logs.', versionId: 'v1', date: '2015-04-09T15:03:43Z', document: doc(allow(LOGS_WRITE)) },
  {
    name: 'AWSLambdaVPCAccessExecutionRole', path: '/service-role/', versionId: 'v3', date: '2024-01-05T22:38:26Z',
    description: 'Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ',
    document: doc({ Sid: 'AWSLambdaVPCAccessExecutionPermissions', ...allow([...LOGS_WRITE, 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']) }),
  },
  { name: 'AWSLambdaRole', path: '/service-role/', description: 'Default policy for AWS Lambda service role.', versionId: 'v1', date: '2015-02-06T18:41:28Z', document: doc(allow(['lambda:InvokeFunction'], ['*'])) },
  {
    name: 'AWSLambdaExecute', path: '/', description: 'Provides Put, Get access to S3 and full access to CloudWatch Logs.', versionId: 'v1', date: '2015-02-06T18:40:46Z',
    document: doc(allow(['logs:*'], 'arn:aws:logs:*:*:*'), allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::*')),
  },
  {
    name: 'AWSLambda_FullAccess', path: '/', description: 'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', versionId: 'v5', date: '2026-02-11T22:18:56Z',
    document: doc(
      { Action: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets',
        'ec2:DescribeVpcs', 'kms:DescribeKey', 'kms:ListAliases', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies',
        'iam:ListRoles', 'lambda:*', 'logs:DescribeLogGroups', 'states:DescribeStateMachine', 'states:ListStateMachines', 'tag:GetResources', 'xray:GetTraceSummaries', 'xray:BatchGetTraces'], Resource: '*', Effect: 'Allow' },
      { Action: 'iam:PassRole', Resource: '*', Effect: 'Allow', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
      { Action: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail'], Resource: 'arn:aws:logs:*:*:log-group:/aws/lambda/*', Effect: 'Allow' },
      { Action: 'iam:CreateServiceLinkedRole', Resource: 'arn:aws:iam::*:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda', Effect: 'Allow',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'lambda.amazonaws.com' } } },
    ),
  },
  {
    name: 'AWSLambda_ReadOnlyAccess', path: '/', description: 'Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', versionId: 'v2', date: '2023-07-27T17:32:05Z',
    document: doc(
      allow(['cloudformation:DescribeStacks', 'cloudformation:ListStacks', 'cloudformation:ListStackResources', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'kms:ListAliases', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies',
        'iam:ListRoles', 'logs:DescribeLogGroups', 'lambda:Get*', 'lambda:List*', 'states:DescribeStateMachine', 'states:ListStateMachines', 'tag:GetResources', 'xray:GetTraceSummaries', 'xray:BatchGetTraces']),
      allow(['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:StopQuery', 'logs:DescribeQueries', 'logs:GetLogGroupFields', 'logs:GetLogRecord',
        'logs:GetQueryResults'], 'arn:aws:logs:*:*:log-group:/aws/lambda/*'),
    ),
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole', path: '/service-role/', description: 'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.',
    versionId: 'v1', date: '2018-06-14T21:50:45Z', document: doc(allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS_WRITE])),
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole', path: '/service-role/', description: 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.',
    versionId: 'v1', date: '2015-04-09T15:09:29Z', document: doc(allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS_WRITE])),
  },
  {
    name: 'AWSLambdaKinesisExecutionRole', path: '/service-role/', description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.', versionId: 'v2', date: '2018-11-19T20:09:24Z',
    document: doc(allow(['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard', ...LOGS_WRITE])),
  },
  {
    name: 'AmazonAPIGatewayInvokeFullAccess', path: '/', description: 'Provides full access to invoke APIs in Amazon API Gateway.', versionId: 'v2', date: '2018-12-18T18:25:10Z',
    document: doc(allow(['execute-api:Invoke', 'execute-api:ManageConnections'], 'arn:aws:execute-api:*:*:*')),
  },
  {
    name: 'AmazonAPIGatewayAdministrator', path: '/', description: 'Provides full access to create/edit/delete APIs in Amazon API Gateway via the AWS Management Console.', versionId: 'v1', date: '2015-07-09T17:34:45Z',
    document: doc(allow(['apigateway:*'], 'arn:aws:apigateway:*::/*')),
  },
  {
    name: 'AmazonAPIGatewayPushToCloudWatchLogs', path: '/service-role/', description: 'Allows API Gateway to push logs to user\'s account.', versionId: 'v1', date: '2015-11-11T23:41:46Z',
    document: doc(allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'])),
  },
  {
    name: 'CloudWatchLogsFullAccess', path: '/', description: 'Provides full access to CloudWatch Logs', versionId: 'v3', date: '2025-05-20T17:07:06Z',
    document: doc({ Action: ['logs:*', 'cloudwatch:GenerateQuery', 'cloudwatch:GenerateQueryResultsSummary'], Resource: '*', Effect: 'Allow', Sid: 'CloudWatchLogsFullAccess' }),
  },
  {
    name: 'CloudWatchLogsReadOnlyAccess', path: '/', description: 'Provides read only access to CloudWatch Logs', versionId: 'v6', date: '2023-11-26T18:11:33Z',
    document: doc({ Sid: 'CloudWatchLogsReadOnlyAccess', ...allow(['logs:Describe*', 'logs:Get*', 'logs:List*', 'logs:StartQuery', 'logs:StopQuery', 'logs:TestMetricFilter', 'logs:FilterLogEvents',
      'logs:StartLiveTail', 'logs:StopLiveTail', 'cloudwatch:GenerateQuery']) }),
  },
  {
    name: 'CloudWatchFullAccess', path: '/', description: 'Provides full access to CloudWatch.', versionId: 'v4', date: '2022-11-27T13:23:49Z',
    document: doc(
      allow(['autoscaling:Describe*', 'cloudwatch:*', 'logs:*', 'sns:*', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'oam:ListSinks']),
      allow('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents*', { Condition: { StringLike: { 'iam:AWSServiceName': 'events.amazonaws.com' } } }),
      allow(['oam:ListAttachedLinks'], 'arn:aws:oam:*:*:sink/*'),
    ),
  },
  {
    name: 'AWSXRayDaemonWriteAccess', path: '/', versionId: 'v2', date: '2024-02-13T21:58:30Z',
    description: 'Allow the AWS X-Ray Daemon to relay raw trace segments data to the service\'s API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.',
    document: doc({ Sid: 'AWSXRayDaemonWriteAccess', ...allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], ['*']) }),
  },
  {
    name: 'AWSCodeDeployRoleForLambda', path: '/service-role/', description: 'Provides CodeDeploy service access to perform a Lambda deployment on your behalf.', versionId: 'v3', date: '2019-12-03T19:53:10Z',
    document: doc(
      { Action: ['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig', 'sns:Publish'], Resource: '*', Effect: 'Allow' },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::*/CodeDeploy/*', Effect: 'Allow' },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: '*', Condition: { StringEquals: { 's3:ExistingObjectTag/UseWithCodeDeploy': 'true' } }, Effect: 'Allow' },
      { Action: ['lambda:InvokeFunction'], Resource: 'arn:aws:lambda:*:*:function:CodeDeployHook_*', Effect: 'Allow' },
    ),
  },
  { name: 'AmazonS3FullAccess', path: '/', description: 'Provides full access to all buckets via the AWS Management Console.', versionId: 'v2', date: '2021-09-27T20:16:37Z', document: doc(allow(['s3:*', 's3-object-lambda:*'])) },
  {
    name: 'AmazonS3ReadOnlyAccess', path: '/', description: 'Provides read only access to all buckets via the AWS Management Console.', versionId: 'v3', date: '2023-08-10T21:31:39Z',
    document: doc(allow(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])),
  },
  { name: 'AmazonSQSFullAccess', path: '/', description: 'Provides full access to Amazon SQS via the AWS Management Console.', versionId: 'v1', date: '2015-02-06T18:41:07Z', document: doc({ Action: ['sqs:*'], Effect: 'Allow', Resource: '*' }) },
  { name: 'AmazonSNSFullAccess', path: '/', description: 'Provides full access to Amazon SNS via the AWS Management Console.', versionId: 'v1', date: '2015-02-06T18:41:05Z', document: doc({ Action: ['sns:*'], Effect: 'Allow', Resource: '*' }) },
  { name: 'AdministratorAccess', path: '/', description: 'Provides full access to AWS services and resources.', versionId: 'v1', date: '2015-02-06T18:39:46Z', document: doc(allow('*')) },
  {
    name: 'PowerUserAccess', path: '/', description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.', versionId: 'v12', date: '2026-02-12T17:59:14Z',
    document: doc(
      { NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*', Effect: 'Allow' },
      { Action: ['account:GetAccountInformation', 'account:GetGovCloudAccountInformation', 'account:GetPrimaryEmail', 'account:ListRegions', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole',
        'iam:ListRoles', 'organizations:DescribeEffectivePolicy', 'organizations:DescribeOrganization'], Resource: '*', Effect: 'Allow' },
    ),
  },
  // Stand-ins (AWS's documents are many pages long).
  { name: 'AmazonDynamoDBFullAccess', path: '/', description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.', versionId: 'v1', date: STAND_IN_DATE, document: doc(allow(['dynamodb:*', 'dax:*'])) },
  { name: 'ReadOnlyAccess', path: '/', description: 'Provides read-only access to AWS services and resources.', versionId: 'v1', date: STAND_IN_DATE, document: doc(allow(['*:Describe*', '*:Get*', '*:List*'])) },
];

export const awsManagedArn = (p: Pick<AwsManagedPolicy, 'name' | 'path'>): string => `arn:aws:iam::aws:policy${p.path}${p.name}`;

const BY_ARN = new Map(AWS_MANAGED_POLICIES.map((p) => [awsManagedArn(p), p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}
