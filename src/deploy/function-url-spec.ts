// A function's FunctionUrlConfig, read as SAM reads it: AuthType (NONE or AWS_IAM, required),
// Cors (Lambda's own shape: AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge,
// AllowCredentials — plain values, not API Gateway's quoted ones) and InvokeMode.
import type { Value } from './intrinsics.js';

export interface FunctionUrlSpec {
  authType: 'NONE' | 'AWS_IAM';
  cors?: {
    AllowOrigins?: string[];
    AllowMethods?: string[];
    AllowHeaders?: string[];
    ExposeHeaders?: string[];
    MaxAge?: number;
    AllowCredentials?: boolean;
  };
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

const LISTS = ['AllowOrigins', 'AllowMethods', 'AllowHeaders', 'ExposeHeaders'] as const;
const KEYS = ['AuthType', 'Cors', 'InvokeMode'];
const CORS_KEYS = [...LISTS, 'MaxAge', 'AllowCredentials'];

type Fail = (message: string) => never;

const isMap = (v: Value | undefined): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function functionUrlSpec(value: Value, fail: Fail): FunctionUrlSpec {
  if (!isMap(value)) fail('FunctionUrlConfig is a map with AuthType, and optionally Cors and InvokeMode');
  const config = value as Record<string, Value>;
  for (const key of Object.keys(config)) if (!KEYS.includes(key)) fail(`FunctionUrlConfig has no property ${key} (it takes ${KEYS.join(', ')})`);
  const authType = config.AuthType;
  if (authType !== 'NONE' && authType !== 'AWS_IAM') fail(`FunctionUrlConfig.AuthType must be NONE or AWS_IAM${authType === undefined ? '' : `, got ${JSON.stringify(authType)}`}`);
  const spec: FunctionUrlSpec = { authType: authType as FunctionUrlSpec['authType'] };
  const mode = config.InvokeMode;
  if (mode !== undefined && mode !== null) {
    if (mode !== 'BUFFERED' && mode !== 'RESPONSE_STREAM') fail(`FunctionUrlConfig.InvokeMode must be BUFFERED or RESPONSE_STREAM, got ${JSON.stringify(mode)}`);
    spec.invokeMode = mode as FunctionUrlSpec['invokeMode'];
  }
  if (config.Cors !== undefined && config.Cors !== null) spec.cors = corsOf(config.Cors, fail);
  return spec;
}

function corsOf(value: Value, fail: Fail): NonNullable<FunctionUrlSpec['cors']> {
  if (!isMap(value)) fail('FunctionUrlConfig.Cors is a map with AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge and AllowCredentials');
  const fields = value as Record<string, Value>;
  const cors: NonNullable<FunctionUrlSpec['cors']> = {};
  for (const key of Object.keys(fields)) if (!CORS_KEYS.includes(key)) fail(`FunctionUrlConfig.Cors has no property ${key} (it takes ${CORS_KEYS.join(', ')})`);
  for (const key of LISTS) {
    const v = fields[key];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x === 'object')) fail(`FunctionUrlConfig.Cors.${key} is a list of strings`);
    cors[key] = (v as Value[]).map(String);
  }
  if (fields.MaxAge !== undefined && fields.MaxAge !== null) {
    const n = Number(fields.MaxAge);
    if (!Number.isInteger(n) || n < 0 || n > 86400) fail(`FunctionUrlConfig.Cors.MaxAge is a whole number of seconds from 0 to 86400, got ${JSON.stringify(fields.MaxAge)}`);
    cors.MaxAge = n;
  }
  if (fields.AllowCredentials !== undefined && fields.AllowCredentials !== null) {
    if (typeof fields.AllowCredentials !== 'boolean') fail('FunctionUrlConfig.Cors.AllowCredentials is true or false');
    cors.AllowCredentials = fields.AllowCredentials as boolean;
  }
  return cors;
}
