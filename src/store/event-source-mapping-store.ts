// Persistence contract for Lambda event source mappings: one row per mapping, its configuration a
// JSON body read whole. A mapping is unique per (event source, function ARN as named), as AWS
// refuses a second one with ResourceConflictException.
import type { FilterCriteria, ScalingConfig } from '../aws/generated/lambda.js';

export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export interface StoredEventSourceMapping {
  uuid: string;
  accountId: string;
  region: string;
  eventSourceArn: string;
  /** As the mapping answers it: qualified when the caller named an alias or version. */
  functionArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  functionResponseTypes: 'ReportBatchItemFailures'[];
  filterCriteria?: FilterCriteria;
  scalingConfig?: ScalingConfig;
  /** What the user asked for; `state` moves towards it. */
  enabled: boolean;
  state: MappingState;
  stateTransitionReason: string;
  lastModifiedMs: number;
  tags: Record<string, string>;
}

export interface EventSourceMappingStore {
  /** Inserts the mapping, or answers the one of the same source and function that exists. */
  create(mapping: StoredEventSourceMapping): Promise<{ created: true } | { created: false; existing: StoredEventSourceMapping }>;
  get(uuid: string): Promise<StoredEventSourceMapping | undefined>;
  /** Rewrites the mapping; false when it is gone. */
  update(mapping: StoredEventSourceMapping): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
  /** A region's mappings, by UUID. */
  list(accountId: string, region: string): Promise<StoredEventSourceMapping[]>;
  /** Every mapping of every account and region, by UUID (what the pollers run). */
  listAll(): Promise<StoredEventSourceMapping[]>;
}
