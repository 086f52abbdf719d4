// A REST API's resource policy as the template says (its Policy, and the statements SAM generates
// for Auth.ResourcePolicy): put with UpdateRestApi when it differs from the API's, removed when the
// template has none. It takes effect with the stages' next deployment (apiSettingsMark).
import { isDeepStrictEqual } from 'node:util';
import { UpdateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { parsePolicyText } from '../execute-api/resource-policy.js';
import type { ApiContext, DeployedApi } from './apis.js';

export async function syncApiPolicy(ctx: ApiContext, logicalId: string, api: DeployedApi, wanted: object | undefined): Promise<void> {
  const have = api.policy ? parsePolicyText(api.policy) : undefined;
  if (isDeepStrictEqual(have, wanted)) {
    if (wanted) ctx.progress.report({ subject: logicalId, kind: 'unchanged', message: `resource policy of ${api.name}` });
    return;
  }
  const value = wanted ? JSON.stringify(wanted) : '';
  await ctx.step(logicalId, `${wanted ? 'putting' : 'removing'} the resource policy of ${api.name}`, () => ctx.apigateway.send(new UpdateRestApiCommand({
    restApiId: api.id, patchOperations: [{ op: 'replace', path: '/policy', value }],
  })));
  api.policy = value || undefined;
  ctx.progress.report({ subject: logicalId, kind: wanted ? (have ? 'updated' : 'created') : 'removed', message: `resource policy of ${api.name}` });
}
