// Invoke URLs of a stage on a Stagecraft server, and the ARNs API Gateway integrations use.

/** `http://{apiId}.execute-api.localhost:{port}/{stage}{path}` and the path-style fallback (REST and HTTP APIs). */
export function invokeUrls(endpoint: string, apiId: string, stage: string, path = '/'): { hostStyle: string; pathStyle: string } {
  const url = new URL(endpoint);
  const port = url.port ? `:${url.port}` : '';
  const local = ['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0'].includes(url.hostname);
  const host = local ? 'localhost' : url.hostname;
  const suffix = path === '/' ? '/' : path;
  return {
    hostStyle: `${url.protocol}//${apiId}.execute-api.${host}${port}/${stage}${suffix}`,
    pathStyle: `${url.protocol}//${url.host}/restapis/${apiId}/${stage}/_user_request_${suffix}`,
  };
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** The Lambda proxy integration URI API Gateway calls for a function (or alias, or `${stageVariables.x}`). */
export function lambdaIntegrationUri(region: string, functionArnValue: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArnValue}/invocations`;
}

/** Source ARN for a route's Lambda permission: any stage, the method (`*` for ANY), path params as `*`. */
export function executeApiSourceArn(region: string, accountId: string, apiId: string, method: string, resourcePath: string): string {
  const path = resourcePath.replace(/\{[^}]+\}/g, '*');
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/*/${method === 'ANY' ? '*' : method}${path}`;
}

/** A function ARN's name and qualifier (alias or version), or undefined when it is not a function ARN. */
export function parseFunctionArn(arn: string): { name: string; qualifier?: string } | undefined {
  const m = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_$-]+))?$/.exec(arn);
  return m ? { name: m[1], qualifier: m[2] } : undefined;
}

/** Source ARN for an authorizer's Lambda permission, as SAM writes it: any authorizer of the API. */
export function authorizersSourceArn(region: string, accountId: string, apiId: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/authorizers/*`;
}

/** A function URL's path-style form on the same server: http://{host}:{port}/lambda-url/{url-id}/. */
export function functionUrlPathStyle(functionUrl: string, endpoint?: string): string {
  const url = new URL(functionUrl);
  const urlId = url.hostname.split('.')[0];
  const base = endpoint ? new URL(endpoint) : new URL(`http://localhost${url.port ? `:${url.port}` : ''}`);
  return `${base.protocol}//${base.host}/lambda-url/${urlId}/`;
}
