// Types and loading for AWS's published service models (models/*.json, imported from botocore).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type Location = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

export interface ShapeRef {
  shape: string;
  location?: Location;
  locationName?: string;
  jsonvalue?: boolean;
  timestampFormat?: string;
  idempotencyToken?: boolean;
  /** Query protocol: a list or map written as repeated elements of the member's name (SQS). */
  flattened?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'blob' | 'timestamp' | 'boolean' | 'integer' | 'long' | 'double' | 'float';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  error?: { httpStatusCode: number; code?: string; senderFault?: boolean };
  exception?: boolean;
  sensitive?: boolean;
  timestampFormat?: string;
  streaming?: boolean;
  /** Query protocol: a list or map written as repeated elements (SQS), under `locationName` when given. */
  flattened?: boolean;
  locationName?: string;
  /** Not in AWS's models: set where AWS lists this shape's constraints without "Member must not be null" (Lambda's tag values). */
  listedWithoutNotNull?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: 'rest-json' | 'json' | 'query' | 'rest-xml';
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    timestampFormat?: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const modelsDir = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'models');
const cache = new Map<string, ServiceModel>();

/** Loads models/<service>-<apiVersion>.json once per process. */
export function loadModel(file: 'lambda-2015-03-31' | 'apigateway-2015-07-09' | 'apigatewayv2-2018-11-29' | 'logs-2014-03-28' | 'sts-2011-06-15' | 'codedeploy-2014-10-06'
  | 'apigatewaymanagementapi-2018-11-29' | 'cloudwatch-2010-08-01' | 'cloudformation-2010-05-15' | 'iam-2010-05-08'
  | 'sqs-2012-11-05' | 'sqs-query-2012-11-05' | 'events-2015-10-07' | 'sns-2010-03-31' | 'dynamodb-2012-08-10'
  | 'ssm-2014-11-06' | 'secretsmanager-2017-10-17'): ServiceModel {
  let model = cache.get(file);
  if (!model) {
    model = JSON.parse(readFileSync(join(modelsDir, `${file}.json`), 'utf8')) as ServiceModel;
    cache.set(file, model);
  }
  return model;
}
