// DeletionPolicy: Retain on a REST or HTTP API, as on a function (functions.ts): the API carries
// RETAIN_TAG while its template says Retain, so that once the template drops it the prune
// (stack-prune.ts) keeps it and only takes it out of the stack (release), as CloudFormation retains it.
import { GetTagsCommand as GetRestTagsCommand, TagResourceCommand as TagRestCommand, UntagResourceCommand as UntagRestCommand } from '@aws-sdk/client-api-gateway';
import { GetTagsCommand as GetHttpTagsCommand, TagResourceCommand as TagHttpCommand, UntagResourceCommand as UntagHttpCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsClients } from './clients.js';
import { CFN_LOGICAL_ID_TAG, CFN_STACK_NAME_TAG } from './api-ownership.js';
import { RETAIN_TAG, STACK_TAG } from './functions.js';
import { httpApiArn } from './http-apis.js';

export type ApiProtocol = 'rest' | 'http';

const restApiArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/restapis/${id}`;

async function tagsOf(clients: AwsClients, protocol: ApiProtocol, id: string): Promise<Record<string, string>> {
  return protocol === 'rest'
    ? (await clients.apigateway.send(new GetRestTagsCommand({ resourceArn: restApiArn(clients.region, id) }))).tags ?? {}
    : (await clients.apigatewayv2.send(new GetHttpTagsCommand({ ResourceArn: httpApiArn(clients.region, id) }))).Tags ?? {};
}

async function tag(clients: AwsClients, protocol: ApiProtocol, id: string, tags: Record<string, string>): Promise<void> {
  if (protocol === 'rest') await clients.apigateway.send(new TagRestCommand({ resourceArn: restApiArn(clients.region, id), tags }));
  else await clients.apigatewayv2.send(new TagHttpCommand({ ResourceArn: httpApiArn(clients.region, id), Tags: tags }));
}

async function untag(clients: AwsClients, protocol: ApiProtocol, id: string, keys: string[]): Promise<void> {
  if (protocol === 'rest') await clients.apigateway.send(new UntagRestCommand({ resourceArn: restApiArn(clients.region, id), tagKeys: keys }));
  else await clients.apigatewayv2.send(new UntagHttpCommand({ ResourceArn: httpApiArn(clients.region, id), TagKeys: keys }));
}

/** Puts RETAIN_TAG on the APIs whose template says Retain and takes it off the others that have it. */
export async function syncApiRetention(clients: AwsClients, apis: readonly { protocol: ApiProtocol; id: string; retain: boolean }[]): Promise<void> {
  for (const api of apis) {
    const has = (await tagsOf(clients, api.protocol, api.id))[RETAIN_TAG] === 'Retain';
    if (api.retain && !has) await tag(clients, api.protocol, api.id, { [RETAIN_TAG]: 'Retain' });
    else if (!api.retain && has) await untag(clients, api.protocol, api.id, [RETAIN_TAG]);
  }
}

/** A retained API leaves the stack: the stack's marks (and CloudFormation's) go, the API stays. */
export function releaseApi(clients: AwsClients, protocol: ApiProtocol, id: string): Promise<void> {
  return untag(clients, protocol, id, [STACK_TAG, RETAIN_TAG, CFN_STACK_NAME_TAG, CFN_LOGICAL_ID_TAG]);
}
