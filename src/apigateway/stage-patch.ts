// UpdateStage's PATCH operations: stage fields, /variables/{name}, access log settings, canary
// settings (with the copy operations that promote a canary) and per-method settings under
// /{resourcePath}/{httpMethod}/{group}/{setting} ("*/*" for all methods), worded as AWS words them.
import type { MethodSetting } from '../aws/generated/apigateway.js';
import type { StageRecord } from '../store/apigateway-store.js';
import { badRequest, onlyReplace } from './errors.js';
import { parseBoolean, type PatchOp } from './patch.js';

const STAGE_PATHS = '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, '
  + '/accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, '
  + '/{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, '
  + '/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, '
  + '/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, '
  + '/{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, '
  + '/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, '
  + '/*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, '
  + '/*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, '
  + '/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

const invalidStagePath = (path: string | undefined) => badRequest(`Invalid method setting path: ${path ?? 'null'}. Must be one of: ${STAGE_PATHS}`);
const cannotRemove = (what: string) => badRequest(`Cannot remove method setting ${what} because there is no method setting for this method `);
const invalidAccessLogPath = () =>
  badRequest('Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]');

const DEFAULT_CACHE_CLUSTER_SIZE = '0.5';
const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const LOG_LEVELS = ['OFF', 'ERROR', 'INFO'];
const CACHE_CONTROL_STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];
export const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]+$/;

/** The settings a method gets when its first setting is patched (as AWS fills them in). */
export const DEFAULT_METHOD_SETTING: Readonly<MethodSetting> = Object.freeze({
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
});

type SettingParser = (value: string | undefined, setting: string) => Partial<MethodSetting>;
const bool = (key: keyof MethodSetting): SettingParser => (value) => ({ [key]: parseBoolean(value) });
const integer = (key: keyof MethodSetting, min: number, max: number): SettingParser => (value, setting) => {
  const n = Number(value);
  if (!/^-?\d+$/.test(value ?? '') || n < min || n > max) throw badRequest(`Invalid value for ${setting}: ${value ?? 'null'}. It must be an integer between ${min} and ${max}`);
  return { [key]: n };
};
const METHOD_SETTINGS: Record<string, SettingParser> = {
  'metrics/enabled': bool('metricsEnabled'),
  'logging/dataTrace': bool('dataTraceEnabled'),
  'logging/loglevel': (value) => {
    const level = (value ?? '').toUpperCase();
    if (!LOG_LEVELS.includes(level)) throw badRequest(`Invalid logging level specified: ${value ?? 'null'}. Valid options are ${LOG_LEVELS.join(',')}`);
    return { loggingLevel: level };
  },
  'throttling/burstLimit': integer('throttlingBurstLimit', 0, 2147483647),
  'throttling/rateLimit': (value, setting) => {
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0) throw badRequest(`Invalid value for ${setting}: ${value ?? 'null'}. It must be a non-negative number`);
    return { throttlingRateLimit: n };
  },
  'caching/enabled': bool('cachingEnabled'),
  'caching/ttlInSeconds': integer('cacheTtlInSeconds', 0, 3600),
  'caching/dataEncrypted': bool('cacheDataEncrypted'),
  'caching/requireAuthorizationForCacheControl': bool('requireAuthorizationForCacheControl'),
  'caching/unauthorizedCacheControlHeaderStrategy': (value) => {
    if (!CACHE_CONTROL_STRATEGIES.includes(value ?? '')) {
      throw badRequest(`Invalid unauthorizedCacheControlHeaderStrategy specified. Valid options are ${CACHE_CONTROL_STRATEGIES.join(',')}`);
    }
    return { unauthorizedCacheControlHeaderStrategy: value as MethodSetting['unauthorizedCacheControlHeaderStrategy'] };
  },
};

/** A cache cluster size AWS offers (GB), or AWS's 400 for any other. */
export function checkCacheClusterSize(value: string | undefined): string {
  if (!CACHE_CLUSTER_SIZES.includes(value ?? '')) throw badRequest(`Invalid cache cluster size specified: ${value ?? 'null'}. Valid options are ${CACHE_CLUSTER_SIZES.join(',')}`);
  return value!;
}

/**
 * The cache cluster fields after CreateStage, CreateDeployment or UpdateStage: a size given is
 * checked, and a cluster enabled without one gets AWS's default, 0.5 GB.
 */
export function settleCacheCluster(stage: StageRecord): void {
  if (stage.cacheClusterSize !== undefined) checkCacheClusterSize(stage.cacheClusterSize);
  else if (stage.cacheClusterEnabled) stage.cacheClusterSize = DEFAULT_CACHE_CLUSTER_SIZE;
}

export interface StagePatchContext {
  /** Does this deployment id exist on the API? */
  deploymentExists(id: string): boolean;
}

/** Applies one operation to a working copy of the stage (mutated in place). */
export function applyStagePatch(stage: StageRecord, op: PatchOp, context: StagePatchContext): void {
  const path = op.path;
  if (path === undefined || !path.startsWith('/')) throw invalidStagePath(path);
  // Method setting keys keep their escaping ("~1pets/GET"), so split the raw path.
  const raw = path.slice(1).split('/');
  const [head] = raw;

  if (op.op === 'copy') return applyCopy(stage, op);

  switch (head) {
    case 'variables': {
      if (raw.length !== 2 || !raw[1]) throw invalidStagePath(path);
      const name = raw[1];
      if (op.op === 'remove') {
        const vars = { ...stage.variables };
        delete vars[name];
        stage.variables = vars;
      } else if (op.op === 'add' || op.op === 'replace') {
        if (!STAGE_VARIABLE_NAME.test(name)) throw badRequest(`Stage variable name ${name} is invalid. Names may contain only alphanumeric characters and underscores`);
        stage.variables = { ...stage.variables, [name]: op.value ?? '' };
      } else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
      return;
    }
    case 'accessLogSettings': {
      if (op.op === 'remove') {
        if (raw.length !== 1) throw cannotRemove(raw.join('/'));
        delete stage.accessLogSettings;
        return;
      }
      if ((op.op !== 'add' && op.op !== 'replace') || raw.length !== 2 || (raw[1] !== 'destinationArn' && raw[1] !== 'format')) throw invalidAccessLogPath();
      if (!op.value) throw badRequest('Access Log value must not be empty');
      stage.accessLogSettings = { ...stage.accessLogSettings, [raw[1]]: op.value };
      return;
    }
    case 'canarySettings':
      return applyCanary(stage, op, raw, context);
    case 'deploymentId':
    case 'description':
    case 'cacheClusterEnabled':
    case 'cacheClusterSize':
    case 'clientCertificateId':
    case 'tracingEnabled':
    case 'documentationVersion':
      if (raw.length !== 1) throw invalidStagePath(path);
      return applyField(stage, head, op, context);
  }

  // /{resourcePath}/{httpMethod}[/{group}/{setting}]
  if (raw.length === 2 && op.op === 'remove') {
    const key = `${raw[0]}/${raw[1]}`;
    if (!stage.methodSettings[key]) throw cannotRemove(key);
    const settings = { ...stage.methodSettings };
    delete settings[key];
    stage.methodSettings = settings;
    return;
  }
  const setting = raw.length === 4 ? `${raw[2]}/${raw[3]}` : '';
  const parse = METHOD_SETTINGS[setting];
  if (!parse || !raw[0] || !raw[1]) throw invalidStagePath(path);
  if (op.op !== 'replace' && op.op !== 'add') throw onlyReplace();
  const key = `${raw[0]}/${raw[1]}`;
  // A method's settings start from the "*/*" settings (or AWS's defaults) the first time they are set.
  const base = stage.methodSettings[key] ?? stage.methodSettings['*/*'] ?? DEFAULT_METHOD_SETTING;
  stage.methodSettings = { ...stage.methodSettings, [key]: { ...base, ...parse(op.value, setting) } };
}

function applyField(stage: StageRecord, field: string, op: PatchOp, context: StagePatchContext): void {
  if ((field === 'description' || field === 'documentationVersion') && op.op === 'remove') {
    delete stage[field];
    return;
  }
  if (op.op !== 'replace' && op.op !== 'add') throw onlyReplace();
  const value = op.value;
  switch (field) {
    case 'deploymentId':
      if (!value || !context.deploymentExists(value)) throw badRequest('Deployment id does not exist');
      stage.deploymentId = value;
      return;
    case 'description':
      if (value === undefined || value === '') delete stage.description;
      else stage.description = value;
      return;
    case 'cacheClusterEnabled':
      stage.cacheClusterEnabled = parseBoolean(value);
      return;
    case 'cacheClusterSize':
      stage.cacheClusterSize = checkCacheClusterSize(value);
      return;
    case 'clientCertificateId':
    case 'documentationVersion':
      // Publishing a documentation version on a stage (AWS's guide); "" unpublishes it.
      if (value) stage[field] = value;
      else delete stage[field];
      return;
    case 'tracingEnabled':
      stage.tracingEnabled = parseBoolean(value);
      return;
  }
}

function applyCanary(stage: StageRecord, op: PatchOp, raw: string[], context: StagePatchContext): void {
  if (op.op === 'remove') {
    if (raw.length === 1) {
      delete stage.canarySettings;
      return;
    }
    if (raw.length === 3 && raw[1] === 'stageVariableOverrides' && stage.canarySettings?.stageVariableOverrides?.[raw[2]] !== undefined) {
      const overrides = { ...stage.canarySettings.stageVariableOverrides };
      delete overrides[raw[2]];
      stage.canarySettings = { ...stage.canarySettings, stageVariableOverrides: overrides };
      return;
    }
    throw cannotRemove(raw.join('/'));
  }
  if (op.op !== 'replace') throw badRequest(`Invalid ${op.op ?? 'null'} operation with path: ${op.path}`);
  const canary = { deploymentId: stage.deploymentId, percentTraffic: 0.0, useStageCache: false, ...stage.canarySettings };
  const field = raw.length >= 2 ? raw[1] : '';
  if (raw.length === 2 && field === 'percentTraffic') {
    const n = Number(op.value);
    if (op.value === undefined || op.value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      throw badRequest('Canary traffic percentage must be between 0.0 and 100.0');
    }
    canary.percentTraffic = n;
  } else if (raw.length === 2 && field === 'deploymentId') {
    if (!op.value || !context.deploymentExists(op.value)) throw badRequest('Deployment id does not exist');
    canary.deploymentId = op.value;
  } else if (raw.length === 2 && field === 'useStageCache') {
    canary.useStageCache = parseBoolean(op.value);
  } else if (raw.length === 3 && field === 'stageVariableOverrides' && raw[2]) {
    canary.stageVariableOverrides = { ...canary.stageVariableOverrides, [raw[2]]: op.value ?? '' };
  } else {
    throw invalidStagePath(op.path);
  }
  stage.canarySettings = canary;
}

/** Promoting a canary: copy /canarySettings/deploymentId → /deploymentId and /canarySettings/stageVariableOverrides → /variables. */
function applyCopy(stage: StageRecord, op: PatchOp): void {
  const valid = (op.from === '/canarySettings/deploymentId' && op.path === '/deploymentId')
    || (op.from === '/canarySettings/stageVariableOverrides' && op.path === '/variables');
  if (!valid) {
    throw badRequest(`Invalid copy operation with path: ${op.path ?? 'null'} and from ${op.from ?? 'null'}. Valid copy:path are [/deploymentId, /variables] `
      + 'and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]');
  }
  const canary = stage.canarySettings;
  if (!canary) throw badRequest('Promotion not available. Canary does not exist.');
  if (op.path === '/deploymentId') {
    if (canary.deploymentId) stage.deploymentId = canary.deploymentId;
  } else {
    stage.variables = { ...stage.variables, ...canary.stageVariableOverrides };
  }
}
