// AWS_IAM routes of HTTP APIs: the request must be SigV4-signed (an Authorization header or a
// presigned query, verified alike), else AWS's 403 {"message":"Forbidden"}. When the server has credentials the
// signature is checked as REST APIs' AWS_IAM methods check it (service execute-api); without
// them any signature passes. There are no IAM policies here: any configured key may call any route.
import type { SigV4Verifier } from '../../aws/sigv4-verify.js';
import { iamCallerOf, isSigV4Signed, verifySignature } from '../chain.js';
import type { InvocationContext } from '../context.js';
import { forbidden } from '../errors.js';
import type { HttpAuthorization } from './invocation.js';

/** Admits a signed request (answering the caller as requestContext.authorizer.iam) or throws the 403. */
export async function iamAuthorize(verifier: SigV4Verifier | undefined, ctx: InvocationContext): Promise<HttpAuthorization> {
  if (!isSigV4Signed(ctx.request)) throw forbidden('the route needs a SigV4-signed request');
  if (verifier) {
    await verifySignature(ctx, verifier);
  }
  const caller = iamCallerOf(ctx);
  ctx.iamCaller = caller;
  return { iam: { ...caller, callerId: null, cognitoIdentity: null, principalOrgId: null, userArn: null, userId: null } };
}
