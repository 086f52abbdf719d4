// CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer for HTTP and WebSocket APIs
// (WebSocket APIs: REQUEST authorizers for their $connect route, identity sources spelled route.request.*).
// A JWT authorizer validates JSON Web Tokens from an OpenID Connect issuer; a REQUEST authorizer
// calls a Lambda function (payload format 1.0 or 2.0) whose answer may be cached per identity.
// Authorizers are part of what a deployment freezes, so changes reach auto-deploying stages at once.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { CreateAuthorizerRequest, Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, HttpAuthorizerRecord } from '../../store/httpapi-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { LAMBDA_URI, MAX_AUTHORIZER_TTL } from '../../apigateway/authorizer-rules.js';
import { authorizerView } from '../views.js';
import { page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';

/** AWS's quota of authorizers per API. */
export const MAX_AUTHORIZERS = 10;
/** The selection expressions HTTP API authorizers take their identity from. */
const IDENTITY_SOURCE = /^\$(?:request\.(?:header|querystring)\.[^\s,]+|context\.[^\s,]+|stageVariables\.[^\s,]+)$/;

type AuthorizerInput = Omit<CreateAuthorizerRequest, 'ApiId' | 'AuthorizerType' | 'Name' | 'IdentitySource'>
  & Partial<Pick<CreateAuthorizerRequest, 'AuthorizerType' | 'Name' | 'IdentitySource'>>;

/** The authorizer `input` makes of `base` (empty for a new one), checked as AWS checks HTTP API authorizers. */
export function authorizerFrom(id: string, base: Partial<HttpAuthorizerRecord>, input: AuthorizerInput, protocol: HttpApiRecord['protocolType'] = 'HTTP'): HttpAuthorizerRecord {
  if (protocol === 'WEBSOCKET') return webSocketAuthorizerFrom(id, base, input);
  const type = input.AuthorizerType ?? base.authorizerType;
  if (type !== 'JWT' && type !== 'REQUEST') throw badRequest(`Invalid authorizer type ${String(type)}: HTTP APIs support JWT and REQUEST authorizers`);
  const name = input.Name ?? base.name;
  if (!name) throw badRequest('Authorizer name is required');
  const identitySource = input.IdentitySource ?? base.identitySource ?? [];
  for (const s of identitySource) {
    if (!IDENTITY_SOURCE.test(s)) throw badRequest(`Invalid identity source ${s}: use $request.header.name, $request.querystring.name, $context.name or $stageVariables.name`);
  }
  const record: HttpAuthorizerRecord = { authorizerId: id, name, authorizerType: type, identitySource };
  if (type === 'JWT') {
    for (const [field, value] of [['AuthorizerUri', input.AuthorizerUri], ['AuthorizerPayloadFormatVersion', input.AuthorizerPayloadFormatVersion],
      ['EnableSimpleResponses', input.EnableSimpleResponses], ['AuthorizerResultTtlInSeconds', input.AuthorizerResultTtlInSeconds],
      ['AuthorizerCredentialsArn', input.AuthorizerCredentialsArn]] as const) {
      if (value !== undefined) throw badRequest(`${field} is not supported for JWT authorizers`);
    }
    if (identitySource.length !== 1 || !identitySource[0].startsWith('$request.')) {
      throw badRequest('A JWT authorizer needs exactly one identity source, a $request.header or $request.querystring selection expression');
    }
    const jwt = input.JwtConfiguration ?? (base.jwtConfiguration && { Audience: base.jwtConfiguration.audience, Issuer: base.jwtConfiguration.issuer });
    if (!jwt?.Issuer) throw badRequest('JwtConfiguration with an Issuer is required for JWT authorizers');
    if (!/^https?:\/\/[^\s]+$/.test(jwt.Issuer)) throw badRequest(`Invalid issuer ${jwt.Issuer}: the issuer must be a URL`);
    record.jwtConfiguration = { audience: jwt.Audience ?? [], issuer: jwt.Issuer };
    return record;
  }
  if (input.JwtConfiguration !== undefined) throw badRequest('JwtConfiguration is supported only for JWT authorizers');
  const uri = input.AuthorizerUri ?? base.authorizerUri;
  if (!uri) throw badRequest('AuthorizerUri is required for REQUEST authorizers');
  if (!LAMBDA_URI.test(uri)) throw badRequest(`Invalid authorizer URI ${uri}: it must be a Lambda function invocation URI`);
  const format = input.AuthorizerPayloadFormatVersion ?? base.authorizerPayloadFormatVersion;
  if (format === undefined) throw badRequest('AuthorizerPayloadFormatVersion is required for HTTP API Lambda authorizers');
  if (format !== '1.0' && format !== '2.0') throw badRequest(`Invalid authorizer payload format version ${format}. Supported versions are 1.0 and 2.0`);
  const simple = input.EnableSimpleResponses ?? base.enableSimpleResponses ?? false;
  if (simple && format !== '2.0') throw badRequest('Simple responses are supported only with authorizer payload format version 2.0');
  const ttl = input.AuthorizerResultTtlInSeconds ?? base.authorizerResultTtlInSeconds ?? 0;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_AUTHORIZER_TTL) {
    throw badRequest(`Invalid authorizer result TTL ${ttl}: it must be between 0 and ${MAX_AUTHORIZER_TTL} seconds`);
  }
  // Results are cached by identity, so caching needs one (AWS's documented rule).
  if (ttl > 0 && !identitySource.length) throw badRequest('An identity source is required when authorizer caching is enabled (authorizerResultTtlInSeconds above 0)');
  Object.assign(record, { authorizerUri: uri, authorizerPayloadFormatVersion: format, enableSimpleResponses: simple, authorizerResultTtlInSeconds: ttl });
  const credentials = input.AuthorizerCredentialsArn ?? base.authorizerCredentialsArn;
  if (credentials !== undefined) record.authorizerCredentialsArn = credentials;
  return record;
}

/** The identity sources of WebSocket API authorizers (AWS's `route.request.*` spelling). */
const WEBSOCKET_IDENTITY_SOURCE = /^(?:route\.request\.(?:header|querystring)\.[^\s,]+|context\.[^\s,]+|stageVariables\.[^\s,]+)$/;

/** A WebSocket API's authorizer: a Lambda REQUEST authorizer answering an IAM policy (no payload formats, simple responses or caching). */
function webSocketAuthorizerFrom(id: string, base: Partial<HttpAuthorizerRecord>, input: AuthorizerInput): HttpAuthorizerRecord {
  const type = input.AuthorizerType ?? base.authorizerType;
  if (type !== 'REQUEST') throw badRequest(`Invalid authorizer type ${String(type)}: WebSocket APIs support REQUEST authorizers`);
  const name = input.Name ?? base.name;
  if (!name) throw badRequest('Authorizer name is required');
  for (const [field, value] of [['JwtConfiguration', input.JwtConfiguration], ['AuthorizerPayloadFormatVersion', input.AuthorizerPayloadFormatVersion],
    ['EnableSimpleResponses', input.EnableSimpleResponses]] as const) {
    if (value !== undefined) throw badRequest(`${field} is supported only for HTTP APIs`);
  }
  const identitySource = input.IdentitySource ?? base.identitySource ?? [];
  for (const s of identitySource) {
    if (!WEBSOCKET_IDENTITY_SOURCE.test(s)) throw badRequest(`Invalid identity source ${s}: use route.request.header.name, route.request.querystring.name, context.name or stageVariables.name`);
  }
  const uri = input.AuthorizerUri ?? base.authorizerUri;
  if (!uri) throw badRequest('AuthorizerUri is required for REQUEST authorizers');
  if (!LAMBDA_URI.test(uri)) throw badRequest(`Invalid authorizer URI ${uri}: it must be a Lambda function invocation URI`);
  const record: HttpAuthorizerRecord = { authorizerId: id, name, authorizerType: type, identitySource, authorizerUri: uri };
  const credentials = input.AuthorizerCredentialsArn ?? base.authorizerCredentialsArn;
  if (credentials !== undefined) record.authorizerCredentialsArn = credentials;
  return record;
}

export function authorizerHandlers(deps: Deps): HandlerTable<Operations> {
  /** The routes of the API that use an authorizer. */
  const usersOf = async (apiId: string, authorizerId: string) => (await deps.store.listItems(apiId, 'route')).filter((r) => r.authorizerId === authorizerId);

  return {
    CreateAuthorizer: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = await requireApi(deps, ctx, input.ApiId);
      if ((await deps.store.listItems(input.ApiId, 'authorizer')).length >= MAX_AUTHORIZERS) {
        throw badRequest(`An API can have at most ${MAX_AUTHORIZERS} authorizers`);
      }
      const authorizer = authorizerFrom(newShortId(6), {}, input, api.protocolType);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'authorizer', id: authorizer.authorizerId, value: authorizer }]);
      return authorizerView(authorizer);
    }),

    async GetAuthorizer(input, ctx) {
      return authorizerView(await requireItem(deps, ctx, input.ApiId, 'authorizer', input.AuthorizerId));
    },

    async GetAuthorizers(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'authorizer'), input, authorizerView);
    },

    UpdateAuthorizer: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'authorizer', input.AuthorizerId);
      // Switching type rebuilds the record from the input alone: JWT and REQUEST settings do not mix.
      const switching = input.AuthorizerType !== undefined && input.AuthorizerType !== existing.authorizerType;
      if (switching && (await usersOf(input.ApiId, existing.authorizerId)).length) {
        throw conflict(`Cannot change the type of authorizer ${existing.authorizerId}: routes use it`);
      }
      const base = switching ? { name: existing.name, identitySource: existing.identitySource } : existing;
      const authorizer = authorizerFrom(existing.authorizerId, base, input, (await requireApi(deps, ctx, input.ApiId)).protocolType);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'authorizer', id: authorizer.authorizerId, value: authorizer }]);
      return authorizerView(authorizer);
    }),

    DeleteAuthorizer: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireItem(deps, ctx, input.ApiId, 'authorizer', input.AuthorizerId);
      const users = await usersOf(input.ApiId, input.AuthorizerId);
      if (users.length) throw conflict(`Cannot delete authorizer ${input.AuthorizerId}: routes ${users.map((r) => r.routeId).join(', ')} use it`);
      await writeAndAutoDeploy(deps, input.ApiId, [], [{ kind: 'authorizer', id: input.AuthorizerId }]);
    }),
  };
}
