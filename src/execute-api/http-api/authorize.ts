// The authorization step of HTTP API requests: a route with authorizationType JWT or CUSTOM is
// admitted by its authorizer in the deployment the stage serves, an AWS_IAM route by the request's
// SigV4 signature, or refused with AWS's answer.
import type { HttpAuthorizerRecord } from '../../store/httpapi-store.js';
import type { SigV4Verifier } from '../../aws/sigv4-verify.js';
import type { InvocationContext } from '../context.js';
import { authorizerConfigurationError } from '../errors.js';
import type { HttpApiCall, HttpAuthorization } from './invocation.js';
import { lambdaAuthorize, type LambdaAuthorizerDeps } from './lambda-authorizer.js';
import { jwtAuthorize } from './jwt-authorizer.js';
import type { JwksCache } from './jwks.js';
import { iamAuthorize } from './iam-authorizer.js';

export interface HttpAuthorizeDeps extends LambdaAuthorizerDeps {
  jwks: JwksCache;
  /** Checks AWS_IAM routes' signatures when credentials are configured; without it, any signature is accepted. */
  verifier?: SigV4Verifier;
}

/** What the route's authorizer says of the caller (undefined for open routes); throws the refusal. */
export async function authorizeRoute(deps: HttpAuthorizeDeps, ctx: InvocationContext, call: HttpApiCall,
  authorizers: ReadonlyMap<string, HttpAuthorizerRecord>): Promise<HttpAuthorization | undefined> {
  const route = call.match.route;
  if (route.authorizationType === 'AWS_IAM') return iamAuthorize(deps.verifier, ctx);
  if (route.authorizationType !== 'JWT' && route.authorizationType !== 'CUSTOM') return undefined;
  const authorizer = authorizers.get(route.authorizerId ?? '');
  if (!authorizer) throw authorizerConfigurationError(`authorizer ${route.authorizerId ?? 'null'} is not in deployment ${call.deploymentId}`);
  return authorizer.authorizerType === 'JWT' ? jwtAuthorize(deps.jwks, ctx, route, authorizer) : lambdaAuthorize(deps, ctx, call, authorizer);
}
