// Function events of sources Stagecraft doesn't run (SQS, DynamoDB streams, schedules, …): the
// function is deployed, the event source is not, and the warning says what would have called it.

/** What sends each kind of event in AWS. */
const SENDERS: Record<string, string> = {
  S3: 'S3 bucket notifications',
  SNS: 'SNS subscriptions',
  SQS: 'SQS event source mappings',
  Kinesis: 'Kinesis event source mappings',
  DynamoDB: 'DynamoDB stream event source mappings',
  DocumentDB: 'DocumentDB change stream event source mappings',
  MSK: 'Amazon MSK event source mappings',
  MQ: 'Amazon MQ event source mappings',
  SelfManagedKafka: 'Kafka event source mappings',
  Schedule: 'EventBridge schedules',
  ScheduleV2: 'EventBridge Scheduler schedules',
  CloudWatchEvent: 'EventBridge rules',
  EventBridgeRule: 'EventBridge rules',
  CloudWatchLogs: 'CloudWatch Logs subscription filters',
  IoTRule: 'IoT rules',
  AlexaSkill: 'Alexa skills',
  Cognito: 'Cognito user pool triggers',
};

/** The warning for an event that is skipped. */
export function skippedEventMessage(functionId: string, eventName: string, type: string): string {
  const sender = SENDERS[type] ?? `${type} event sources`;
  return `event ${eventName} (${type}) is not wired: Stagecraft does not run ${sender}, so nothing calls ${functionId} for it; `
    + `send such events yourself (stagecraft invoke, aws lambda invoke)`;
}
