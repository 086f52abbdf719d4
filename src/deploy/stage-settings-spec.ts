// SAM's MethodSettings and AccessLogSetting on an AWS::Serverless::Api, as deploy reads them:
// method settings keyed as API Gateway keys them ("*/*" for ResourcePath "/*" and HttpMethod "*",
// else the path with "/" escaped as "~1" and the method), each field as its UpdateStage patch path,
// and the access log destination and format; CacheClusterEnabled and CacheClusterSize. Applied to
// every stage of the API (apis.ts).
import type { Value } from './intrinsics.js';

/** A MethodSettings field → its UpdateStage path under /{key}/ and the MethodSetting member it sets. */
export const METHOD_SETTING_FIELDS: Record<string, { path: string; member: string; kind: 'number' | 'integer' | 'boolean' | 'string' }> = {
  ThrottlingRateLimit: { path: 'throttling/rateLimit', member: 'throttlingRateLimit', kind: 'number' },
  ThrottlingBurstLimit: { path: 'throttling/burstLimit', member: 'throttlingBurstLimit', kind: 'integer' },
  LoggingLevel: { path: 'logging/loglevel', member: 'loggingLevel', kind: 'string' },
  DataTraceEnabled: { path: 'logging/dataTrace', member: 'dataTraceEnabled', kind: 'boolean' },
  MetricsEnabled: { path: 'metrics/enabled', member: 'metricsEnabled', kind: 'boolean' },
  CachingEnabled: { path: 'caching/enabled', member: 'cachingEnabled', kind: 'boolean' },
  CacheTtlInSeconds: { path: 'caching/ttlInSeconds', member: 'cacheTtlInSeconds', kind: 'integer' },
  CacheDataEncrypted: { path: 'caching/dataEncrypted', member: 'cacheDataEncrypted', kind: 'boolean' },
};

/** One method's settings: the UpdateStage key and, per patch path, the value as UpdateStage takes it. */
export interface MethodSettingSpec {
  key: string;
  values: Record<string, string>;
}

export interface AccessLogSpec {
  destinationArn: string;
  format: string;
}

type Fail = (message: string) => never;

/** "*\/*" for every method, else "~1pets~1{id}/GET". */
export function methodSettingsKey(resourcePath: string, httpMethod: string): string {
  if (resourcePath === '/*' && httpMethod === '*') return '*/*';
  return `${resourcePath.replaceAll('/', '~1')}/${httpMethod.toUpperCase()}`;
}

const isMap = (v: Value | undefined): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldValue(name: string, kind: string, v: Value, fail: Fail): string {
  if (kind === 'boolean') {
    if (typeof v !== 'boolean' && v !== 'true' && v !== 'false') fail(`MethodSettings ${name} must be true or false`);
    return String(v);
  }
  if (kind === 'string') {
    if (typeof v !== 'string') fail(`MethodSettings ${name} must be a string`);
    return String(v).toUpperCase(); // LoggingLevel, stored upper-cased by UpdateStage
  }
  const n = Number(v);
  if ((typeof v !== 'number' && typeof v !== 'string') || String(v).trim() === '' || !Number.isFinite(n) || n < 0 || (kind === 'integer' && !Number.isInteger(n))) {
    fail(`MethodSettings ${name} must be a non-negative ${kind === 'integer' ? 'integer' : 'number'}`);
  }
  return String(n);
}

/** MethodSettings: a list of { ResourcePath, HttpMethod, …settings }. */
export function methodSettingsSpec(value: Value, fail: Fail): MethodSettingSpec[] {
  if (!Array.isArray(value)) return fail('MethodSettings is a list of method settings, each with ResourcePath and HttpMethod');
  const seen = new Set<string>();
  return value.map((item) => {
    if (!isMap(item)) return fail('each MethodSettings entry is a map with ResourcePath and HttpMethod');
    const { ResourcePath: path, HttpMethod: method, ...rest } = item;
    if (typeof path !== 'string' || !path.startsWith('/')) fail('MethodSettings ResourcePath must be a path starting with / ("/*" for every resource)');
    if (typeof method !== 'string' || method === '') fail('MethodSettings HttpMethod must be an HTTP method ("*" for every method)');
    const key = methodSettingsKey(path as string, method as string);
    if (seen.has(key)) fail(`MethodSettings lists ${path as string} ${method as string} twice`);
    seen.add(key);
    const values: Record<string, string> = {};
    for (const [name, v] of Object.entries(rest)) {
      const field = METHOD_SETTING_FIELDS[name];
      if (!field) fail(`MethodSettings property ${name} is not supported by stagecraft deploy (supported: ResourcePath, HttpMethod, ${Object.keys(METHOD_SETTING_FIELDS).join(', ')})`);
      values[field.path] = fieldValue(name, field.kind, v, fail);
    }
    return { key, values };
  });
}

/** A stage's cache cluster (CacheClusterEnabled, CacheClusterSize). */
export interface CacheClusterSpec {
  enabled: boolean;
  size?: string;
}

const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** SAM's CacheClusterEnabled (true or false) and CacheClusterSize (one of API Gateway's sizes, in GB). */
export function cacheClusterSpec(enabled: Value | undefined, size: Value | undefined, fail: (property: string, message: string) => never): CacheClusterSpec | undefined {
  if (enabled === undefined && size === undefined) return undefined;
  if (enabled !== undefined && typeof enabled !== 'boolean' && enabled !== 'true' && enabled !== 'false') fail('CacheClusterEnabled', 'CacheClusterEnabled must be true or false');
  const spec: CacheClusterSpec = { enabled: String(enabled) === 'true' };
  if (size !== undefined) {
    if (!CACHE_CLUSTER_SIZES.includes(String(size))) fail('CacheClusterSize', `CacheClusterSize must be one of ${CACHE_CLUSTER_SIZES.join(', ')} (GB)`);
    spec.size = String(size);
  }
  return spec;
}

/** AccessLogSetting: { DestinationArn, Format }, both required to log (AWS's rule). */
/** SAM's AccessLogSetting (REST APIs) or AccessLogSettings (HTTP APIs): `property` names it in messages. */
export function accessLogSpec(value: Value, fail: Fail, property = 'AccessLogSetting'): AccessLogSpec {
  if (!isMap(value)) return fail(`${property} is a map with DestinationArn and Format`);
  for (const k of Object.keys(value)) if (k !== 'DestinationArn' && k !== 'Format') fail(`unknown ${property} property '${k}' (DestinationArn, Format)`);
  const { DestinationArn: arn, Format: format } = value;
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) fail(`${property} DestinationArn must be the ARN of a CloudWatch Logs log group`);
  if (typeof format !== 'string' || format.trim() === '') fail(`${property} Format must be a non-empty string of $context variables`);
  return { destinationArn: arn as string, format: format as string };
}

/** SAM's CanarySetting: the canary every stage of the API gets (its deployment is the stage's). */
export interface CanarySpec {
  percentTraffic: number;
  stageVariableOverrides: Record<string, string>;
  useStageCache: boolean;
}

/** CanarySetting: { PercentTraffic, StageVariableOverrides, UseStageCache } (DeploymentId has no effect: property-checks.ts warns). */
export function canarySpec(value: Value, fail: Fail): CanarySpec {
  if (!isMap(value)) return fail('CanarySetting is a map with PercentTraffic, StageVariableOverrides and UseStageCache');
  const { PercentTraffic: percent, StageVariableOverrides: overrides, UseStageCache: useCache } = value;
  const n = Number(percent ?? 0);
  if ((percent !== undefined && typeof percent !== 'number' && typeof percent !== 'string') || String(percent ?? 0).trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    fail(`CanarySetting.PercentTraffic is a number from 0 to 100, got ${JSON.stringify(percent)}`);
  }
  if (useCache !== undefined && typeof useCache !== 'boolean' && useCache !== 'true' && useCache !== 'false') fail('CanarySetting.UseStageCache must be true or false');
  const spec: CanarySpec = { percentTraffic: n, stageVariableOverrides: {}, useStageCache: String(useCache) === 'true' };
  if (overrides !== undefined) {
    if (!isMap(overrides)) fail('CanarySetting.StageVariableOverrides is a map of stage variable names to values');
    for (const [k, v] of Object.entries(overrides as Record<string, Value>)) {
      if (typeof v === 'object' && v !== null) fail(`CanarySetting.StageVariableOverrides.${k} must be a string`);
      spec.stageVariableOverrides[k] = String(v);
    }
  }
  return spec;
}
