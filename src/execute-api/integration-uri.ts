// Integration URIs: `${stageVariables.x}` substitution (done per request, since stage variables
// are live), `{name}` path-parameter substitution for HTTP integrations, and the Lambda function a
// `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations` URI names.
import { parseFunctionName } from '../core/arn.js';
import type { FunctionRef } from '../lambda/names.js';

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_.:/?#&=,-]*?)\}/g;

/** Replaces each ${stageVariables.x} with the variable's value ('' when unset), as AWS does. */
export function substituteStageVariables(uri: string, variables: Readonly<Record<string, string>> | null): string {
  if (uri.indexOf('${') < 0) return uri;
  return uri.replace(STAGE_VARIABLE, (_m, name: string) => (variables && Object.hasOwn(variables, name) ? variables[name] : ''));
}

/** Replaces `{name}` placeholders with the given values (path parameters of HTTP integrations). */
export function substitutePathParameters(uri: string, values: Readonly<Record<string, string>>): string {
  if (uri.indexOf('{') < 0) return uri;
  return uri.replace(/\{([^{}]+)\}/g, (m, name: string) => {
    const key = name.endsWith('+') ? name.slice(0, -1) : name;
    return Object.hasOwn(values, key) ? values[key] : m;
  });
}

// Invoke's path, or InvokeWithResponseStream's (response streaming integrations).
const LAMBDA_URI = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+):lambda:path\/+(?:2015-03-31\/functions\/(.+?)\/invocations|2021-11-15\/functions\/(.+?)\/response-streaming-invocations)\/?$/;

const refs = new Map<string, FunctionRef | null>();
const MAX_REFS = 4096;

/**
 * The function a Lambda integration URI names, or undefined when the URI is not one. A name
 * without account or region is the API's own account and region.
 */
export function lambdaRefFromUri(uri: string, accountId: string, region: string): FunctionRef | undefined {
  const key = `${accountId}:${region}:${uri}`;
  const cached = refs.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let ref: FunctionRef | null = null;
  const m = LAMBDA_URI.exec(uri);
  if (m) {
    let name = m[2] ?? m[3];
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep it raw
    }
    const parsed = parseFunctionName(name);
    if (parsed) ref = { accountId: parsed.accountId ?? accountId, region: parsed.region ?? region, name: parsed.name, qualifier: parsed.qualifier };
  }
  if (refs.size >= MAX_REFS) refs.delete(refs.keys().next().value!);
  refs.set(key, ref);
  return ref ?? undefined;
}

/** The source ARN API Gateway presents to Lambda: arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{resource path}. */
export function executeApiSourceArn(region: string, accountId: string, apiId: string, stage: string, httpMethod: string, resourcePath: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${httpMethod}${resourcePath}`;
}
