// The one small contract every AWS service module implements to be served on the edge port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import type { AuthErrorStyle } from '../aws/auth-errors.js';

export interface ServiceModule {
  /** SigV4 signing name(s) whose requests this module serves ('lambda', 'apigateway', 'logs', 'sts'). */
  signingNames: string[];
  /** For unsigned requests: does this module own the request (by X-Amz-Target or path)? */
  claims(req: IncomingMessage, url: URL): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext): Promise<void>;
  /** How its protocol names a failed signature check (default rest-json). */
  authErrorStyle?: AuthErrorStyle;
}
