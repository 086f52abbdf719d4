// AWS managed policies users attach to Lambda roles and their tools, under their real ARNs
// (`arn:aws:iam::aws:policy{path}{name}`). The small Lambda, API Gateway, logs and X-Ray ones carry
// AWS's published documents; the broad ones (full access, read only) carry a short stand-in that
// grants the same services (AWS's are hundreds of statements). Stagecraft evaluates no policy, so
// only their names and paths matter to tools. Every version is v1, created at one fixed date.
export interface AwsManagedPolicy {
  name: string;
  path: string;
  description: string;
  document: object;
}

const statement = (action: string | string[], resource: string | string[] = '*') => ({ Effect: 'Allow', Action: action, Resource: resource });
const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });

const LOGS_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  { name: 'AWSLambdaBasicExecutionRole', path: '/service-role/', description: 'Provides write permissions to CloudWatch Logs.', document: doc(statement(LOGS_WRITE)) },
  {
    name: 'AWSLambdaVPCAccessExecutionRole', path: '/service-role/',
    description: 'Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ',
    document: doc(statement([...LOGS_WRITE, 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])),
  },
  { name: 'AWSLambdaRole', path: '/service-role/', description: 'Default policy for AWS Lambda service role.', document: doc(statement(['lambda:InvokeFunction'], ['*'])) },
  { name: 'AWSLambdaExecute', path: '/', description: 'Provides Put, Get access to S3 and full access to CloudWatch Logs.', document: doc(statement(['logs:*'], 'arn:aws:logs:*:*:*'), statement(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::*')) },
  { name: 'AWSLambda_FullAccess', path: '/', description: 'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', document: doc(statement(['lambda:*', 'logs:*', 'cloudwatch:*', 'iam:GetRole', 'iam:ListRoles', 'iam:PassRole'])) },
  { name: 'AWSLambda_ReadOnlyAccess', path: '/', description: 'Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', document: doc(statement(['lambda:Get*', 'lambda:List*', 'logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents'])) },
  { name: 'AWSLambdaSQSQueueExecutionRole', path: '/service-role/', description: 'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.', document: doc(statement(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS_WRITE])) },
  { name: 'AWSLambdaDynamoDBExecutionRole', path: '/service-role/', description: 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.', document: doc(statement(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS_WRITE])) },
  { name: 'AWSLambdaKinesisExecutionRole', path: '/service-role/', description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.', document: doc(statement(['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard', ...LOGS_WRITE])) },
  { name: 'AmazonAPIGatewayInvokeFullAccess', path: '/', description: 'Provides full access to invoke APIs in Amazon API Gateway.', document: doc(statement(['execute-api:Invoke', 'execute-api:ManageConnections'], 'arn:aws:execute-api:*:*:*')) },
  { name: 'AmazonAPIGatewayAdministrator', path: '/', description: 'Provides full access to create/edit/delete APIs in Amazon API Gateway via the AWS Management Console.', document: doc(statement(['apigateway:*'], 'arn:aws:apigateway:*::/*')) },
  {
    name: 'AmazonAPIGatewayPushToCloudWatchLogs', path: '/service-role/', description: 'Allows API Gateway to push logs to user\'s account.',
    document: doc(statement(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'])),
  },
  { name: 'CloudWatchLogsFullAccess', path: '/', description: 'Provides full access to CloudWatch Logs', document: doc(statement(['logs:*'])) },
  { name: 'CloudWatchLogsReadOnlyAccess', path: '/', description: 'Provides read only access to CloudWatch Logs', document: doc(statement(['logs:Describe*', 'logs:Get*', 'logs:List*', 'logs:StartQuery', 'logs:StopQuery', 'logs:TestMetricFilter', 'logs:FilterLogEvents'])) },
  { name: 'CloudWatchFullAccess', path: '/', description: 'Provides full access to CloudWatch.', document: doc(statement(['cloudwatch:*', 'logs:*'])) },
  { name: 'AWSXRayDaemonWriteAccess', path: '/', description: 'Allow the AWS X-Ray Daemon to relay raw trace segments data to the service\'s API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.', document: doc(statement(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'])) },
  { name: 'AWSCodeDeployRoleForLambda', path: '/service-role/', description: 'Provides CodeDeploy service access to perform a Lambda deployment on your behalf.', document: doc(statement(['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig', 'sns:Publish']), statement(['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::*/CodeDeploy/*'), statement(['lambda:InvokeFunction'], 'arn:aws:lambda:*:*:function:CodeDeployHook_*')) },
  { name: 'AmazonS3FullAccess', path: '/', description: 'Provides full access to all buckets via the AWS Management Console.', document: doc(statement(['s3:*', 's3-object-lambda:*'])) },
  { name: 'AmazonS3ReadOnlyAccess', path: '/', description: 'Provides read only access to all buckets via the AWS Management Console.', document: doc(statement(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])) },
  { name: 'AmazonDynamoDBFullAccess', path: '/', description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.', document: doc(statement(['dynamodb:*'])) },
  { name: 'AmazonSQSFullAccess', path: '/', description: 'Provides full access to Amazon SQS via the AWS Management Console.', document: doc(statement(['sqs:*'])) },
  { name: 'AmazonSNSFullAccess', path: '/', description: 'Provides full access to Amazon SNS via the AWS Management Console.', document: doc(statement(['sns:*'])) },
  { name: 'AdministratorAccess', path: '/', description: 'Provides full access to AWS services and resources.', document: doc(statement('*')) },
  { name: 'PowerUserAccess', path: '/', description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.', document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }) },
  { name: 'ReadOnlyAccess', path: '/', description: 'Provides read-only access to AWS services and resources.', document: doc(statement(['*:Describe*', '*:Get*', '*:List*'])) },
];

/** When every AWS managed policy here says it was created and last updated (AWS's differ per policy). */
export const AWS_MANAGED_CREATED_MS = Date.UTC(2015, 1, 6, 18, 39, 46);

export const awsManagedArn = (p: Pick<AwsManagedPolicy, 'name' | 'path'>): string => `arn:aws:iam::aws:policy${p.path}${p.name}`;

const BY_ARN = new Map(AWS_MANAGED_POLICIES.map((p) => [awsManagedArn(p), p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}
