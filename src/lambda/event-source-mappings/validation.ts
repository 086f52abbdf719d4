// What an SQS event source mapping accepts: the checks AWS makes on create and update, in its words.
import type { CreateEventSourceMappingRequest, FilterCriteria, UpdateEventSourceMappingRequest } from '../../aws/generated/lambda.js';
import { compileEventPattern } from '../../events/event-pattern.js';
import { invalidParameter } from '../errors.js';
import { batchWindowRequired, invalidFilterPattern, unrecognizedEventSource, unsupportedParameter } from './errors.js';

export const SQS_DEFAULT_BATCH_SIZE = 10;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

export const isFifoQueueArn = (arn: string): boolean => arn.endsWith('.fifo');

/** The event source must be an SQS queue ARN: other kinds (streams, brokers, Kafka) are not served here. */
export function checkEventSource(arn: string | undefined): string {
  if (!arn || !SQS_ARN.test(arn)) throw unrecognizedEventSource();
  return arn;
}

/** Settings other event source kinds take, refused for a queue as AWS refuses them. */
export function checkSqsOnlySettings(input: Partial<CreateEventSourceMappingRequest & UpdateEventSourceMappingRequest>): void {
  if (input.StartingPosition !== undefined || input.StartingPositionTimestamp !== undefined) throw invalidParameter('StartingPosition is not valid for SQS event sources.');
  if (input.DestinationConfig !== undefined) throw unsupportedParameter('DestinationConfig');
  const others = ['ParallelizationFactor', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'TumblingWindowInSeconds',
    'Topics', 'Queues', 'SourceAccessConfigurations', 'SelfManagedEventSource', 'AmazonManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig',
    'DocumentDBEventSourceConfig', 'ProvisionedPollerConfig'] as const;
  for (const name of others) if (input[name] !== undefined) throw unsupportedParameter(name);
}

/** Batch size and window together: more than 10 messages needs a window; FIFO queues take at most 10 (Stagecraft's wording). */
export function checkBatching(batchSize: number, windowSeconds: number, fifo: boolean): void {
  if (fifo && batchSize > 10) throw invalidParameter('BatchSize must be less than or equal to 10 for SQS FIFO queues.');
  if (batchSize > 10 && windowSeconds < 1) throw batchWindowRequired();
}

/** Each filter's pattern is EventBridge's pattern language; an empty list clears the criteria. */
export function checkFilterCriteria(criteria: FilterCriteria | undefined): FilterCriteria | undefined {
  if (!criteria?.Filters?.length) return undefined;
  if (criteria.Filters.length > 5) throw invalidFilterPattern();
  for (const filter of criteria.Filters) {
    try {
      compileEventPattern(filter.Pattern ?? '');
    } catch {
      throw invalidFilterPattern();
    }
  }
  return { Filters: criteria.Filters.map((f) => ({ Pattern: f.Pattern })) };
}
