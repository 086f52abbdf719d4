// Tags on HTTP APIs and stages by ARN through the SDK and the AWS CLI: TagResource merges,
// UntagResource removes, GetTags and GetApi/GetStage answer the same tags; unknown resources and
// malformed ARNs are AWS-shaped errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateStageCommand, GetApiCommand, GetStageCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testRegion } from '../src/testing/server.js';

const env = useServer();

test('TagResource, UntagResource and GetTags on an HTTP API and its stage', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'tagged', ProtocolType: 'HTTP', Tags: { team: 'orders' } }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }));
  const apiArn = `arn:aws:apigateway:${testRegion}::/apis/${api.ApiId}`;
  const stageArn = `${apiArn}/stages/dev`;

  assert.deepEqual((await env.apigwv2.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { team: 'orders' });
  await env.apigwv2.send(new TagResourceCommand({ ResourceArn: apiArn, Tags: { env: 'dev', team: 'payments' } }));
  assert.deepEqual((await env.apigwv2.send(new GetApiCommand({ ApiId: api.ApiId }))).Tags, { team: 'payments', env: 'dev' });
  await env.apigwv2.send(new UntagResourceCommand({ ResourceArn: apiArn, TagKeys: ['team', 'absent'] }));
  assert.deepEqual((await env.apigwv2.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { env: 'dev' });

  const cli = await awsCli(env.url, ['apigatewayv2', 'tag-resource', '--resource-arn', stageArn, '--tags', 'owner=alice']);
  assert.equal(cli.code, 0, cli.stderr);
  const listed = await awsCli(env.url, ['apigatewayv2', 'get-tags', '--resource-arn', stageArn]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json(), { Tags: { owner: 'alice' } });
  assert.deepEqual((await env.apigwv2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))).Tags, { owner: 'alice' });
  assert.deepEqual((await env.apigwv2.send(new GetTagsCommand({ ResourceArn: apiArn }))).Tags, { env: 'dev' }, 'the stage\'s tags are its own');
});

test('unknown APIs and stages are 404s; a malformed ARN is a 400', async () => {
  await expectAwsError(env.apigwv2.send(new GetTagsCommand({ ResourceArn: `arn:aws:apigateway:${testRegion}::/apis/nope123` })), 'NotFoundException', 'Invalid resource ARN specified', 404);
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'tagged2', ProtocolType: 'HTTP' }));
  await expectAwsError(env.apigwv2.send(new TagResourceCommand({ ResourceArn: `arn:aws:apigateway:${testRegion}::/apis/${api.ApiId}/stages/missing`, Tags: { a: 'b' } })), 'NotFoundException', 'Invalid resource ARN specified', 404);
  await expectAwsError(env.apigwv2.send(new GetTagsCommand({ ResourceArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' })), 'BadRequestException', 'Invalid ARN specified in the request', 400);
});
