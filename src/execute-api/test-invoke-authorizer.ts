// TestInvokeAuthorizer: runs one authorizer as it is stored now (not as deployed) on the request
// the caller describes — identity sources, the function call, the output checks — and reports what
// API Gateway would have done: the client's status (200 when the authorizer answered with a policy,
// 401, 500), the principal, the policy document, latency and an execution log. The policy is not
// evaluated: a test invoke has no method to evaluate it against. A Cognito user pool authorizer is
// tested with an ID token (as on AWS, access tokens cannot be tested): its claims, or 401.
import type { TestInvokeAuthorizerRequest, TestInvokeAuthorizerResponse } from '../aws/generated/apigateway.js';
import type { AuthorizerRecord, DeploymentSnapshot, RestApiRecord } from '../store/apigateway-store.js';
import { authorizerEvent, callAuthorizer, identityOf } from './authorizer.js';
import { cognitoAuthorize, type CognitoDeps } from './cognito-authorizer.js';
import { errorResponse } from './front.js';
import type { LambdaCallDeps } from './integrations/lambda.js';
import { mapText, testContext, testRequest } from './test-invoke.js';

/** The stage name AWS puts in a test-invoked authorizer's method ARN. */
export const TEST_AUTHORIZER_STAGE = 'ESTestInvoke-stage';

export interface AuthorizerTestInput {
  api: RestApiRecord;
  authorizer: AuthorizerRecord;
  request: TestInvokeAuthorizerRequest;
  sourceIp?: string;
}

export type AuthorizerTestInvoker = (input: AuthorizerTestInput) => Promise<TestInvokeAuthorizerResponse>;

export function createAuthorizerTestInvoker(deps: LambdaCallDeps & { cognito?: CognitoDeps }): AuthorizerTestInvoker {
  return async ({ api, authorizer, request: input, sourceIp }) => {
    const startedAt = Date.now();
    const request = testRequest(api, input, 'GET', '/', sourceIp);
    const snapshot: DeploymentSnapshot = {
      api: { binaryMediaTypes: api.binaryMediaTypes, apiKeySource: api.apiKeySource, disableExecuteApiEndpoint: api.disableExecuteApiEndpoint },
      resources: [],
      authorizers: { [authorizer.id]: authorizer },
    };
    const ctx = testContext(api, snapshot, TEST_AUTHORIZER_STAGE, request, input.stageVariables, startedAt);
    ctx.resource = { id: api.rootResourceId, path: request.path, resourceMethods: {} };
    const { requestId, log } = ctx;
    log.add(`Starting authorizer: ${authorizer.id} for request: ${requestId}`);
    log.add(`Incoming identity: ${mapText(request.headers)}`);
    const result: TestInvokeAuthorizerResponse = { clientStatus: 200 };
    try {
      if (authorizer.type === 'COGNITO_USER_POOLS') {
        ctx.method = { httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizer.id };
        await cognitoAuthorize(ctx, deps.cognito);
        result.claims = { ...ctx.authorizer?.claims };
        log.add('Successfully completed authorizer execution');
        return { ...result, log: log.text(), latency: Date.now() - startedAt };
      }
      const output = await callAuthorizer(ctx, deps, authorizer, authorizerEvent(ctx, authorizer, identityOf(ctx, authorizer)));
      if (output.principalId !== undefined) result.principalId = output.principalId;
      result.policy = JSON.stringify(output.policyDocument);
      log.add(`Authorizer result body before parsing: ${JSON.stringify({ principalId: output.principalId, policyDocument: output.policyDocument, context: output.context })}`);
      log.add('Successfully completed authorizer execution');
    } catch (e) {
      result.clientStatus = errorResponse(ctx, e).status;
    }
    return { ...result, log: log.text(), latency: Date.now() - startedAt };
  };
}
