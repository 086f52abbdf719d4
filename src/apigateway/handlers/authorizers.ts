// CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer,
// FlushStageAuthorizersCache and TestInvokeAuthorizer (run by src/execute-api/test-invoke-authorizer.ts). An authorizer belongs to one REST API; methods name it by id
// (authorizationType CUSTOM or COGNITO_USER_POOLS), and a deployment freezes it with them.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Authorizer, Operations } from '../../aws/generated/apigateway.js';
import type { AuthorizerRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { awsError } from '../../core/errors.js';
import { authorizerNotFound, badRequest, concurrentModification, conflict, invalidPatchPath, onlyReplace, stageNotFound } from '../errors.js';
import { pathSegments } from '../patch.js';
import { checkAuthorizer } from '../authorizer-rules.js';
import { listPage, requireApi, withApiLock, type Deps } from './context.js';

/** Members UpdateAuthorizer may replace (a value of '' removes optional ones). */
const REPLACEABLE = ['name', 'type', 'authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression', 'authorizerResultTtlInSeconds'] as const;
type Replaceable = (typeof REPLACEABLE)[number];
const TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];

/** An authorizer as AWS returns it: members in AWS's order, unset ones left out. */
export function authorizerView(a: AuthorizerRecord): Authorizer {
  const view: Authorizer = { id: a.id, name: a.name, type: a.type };
  if (a.providerARNs?.length) view.providerARNs = [...a.providerARNs];
  for (const key of ['authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'] as const) {
    if (a[key] !== undefined) view[key] = a[key];
  }
  if (a.authorizerResultTtlInSeconds !== undefined) view.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds;
  return view;
}

async function requireAuthorizer(deps: Deps, apiId: string, id: string): Promise<AuthorizerRecord> {
  const authorizer = await deps.store.getAuthorizer(apiId, id);
  if (!authorizer) throw authorizerNotFound();
  return authorizer;
}

function replace(a: AuthorizerRecord, field: Replaceable, value: string | undefined): void {
  if (field === 'authorizerResultTtlInSeconds') {
    if (value === undefined || value === '') delete a.authorizerResultTtlInSeconds;
    else if (!/^-?\d+$/.test(value)) throw badRequest(`Invalid authorizer result TTL specified: ${value}. Must be between 0 and 3600 seconds`);
    else a.authorizerResultTtlInSeconds = Number(value);
  } else if (field === 'name') {
    if (!value) throw badRequest('Authorizer name must be non-empty');
    a.name = value;
  } else if (field === 'type') {
    if (!value || !TYPES.includes(value)) throw badRequest(`Invalid authorizer type specified: ${value ?? 'null'}. Valid options are ${TYPES.join(',')}`);
    a.type = value as AuthorizerRecord['type'];
  } else if (value === undefined || value === '') {
    delete a[field];
  } else {
    a[field] = value;
  }
}

export function authorizerHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateAuthorizer(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        // AWS answers a missing API here with a 409, not a 404 (recorded).
        const api = await requireApi(deps, ctx, input.restApiId, concurrentModification);
        const known = new Set((await deps.store.listAuthorizers(api.id)).map((a) => a.id));
        let id = newShortId(6);
        while (known.has(id)) id = newShortId(6);
        const authorizer: AuthorizerRecord = { id, name: input.name, type: input.type };
        if (input.providerARNs?.length) authorizer.providerARNs = [...input.providerARNs];
        for (const key of ['authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'] as const) {
          if (input[key] !== undefined && input[key] !== '') authorizer[key] = input[key];
        }
        if (input.authorizerResultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = input.authorizerResultTtlInSeconds;
        // AWS answers authType "custom" for a Lambda authorizer created without one (recorded).
        authorizer.authType ??= authorizer.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom';
        checkAuthorizer(authorizer);
        await deps.store.putAuthorizer(api.id, authorizer);
        return authorizerView(authorizer);
      });
    },

    async GetAuthorizer(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return authorizerView(await requireAuthorizer(deps, input.restApiId, input.authorizerId));
    },

    async GetAuthorizers(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return listPage(await deps.store.listAuthorizers(input.restApiId), input, authorizerView);
    },

    async UpdateAuthorizer(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const authorizer = structuredClone(await requireAuthorizer(deps, input.restApiId, input.authorizerId));
        for (const op of input.patchOperations ?? []) {
          const segments = pathSegments(op.path);
          const [field, arn] = segments ?? [];
          if (segments?.length === 2 && field === 'providerARNs') {
            // Cognito user pools are a set: add one, or remove one by its ARN.
            const arns = authorizer.providerARNs ?? [];
            if (op.op === 'add') authorizer.providerARNs = arns.includes(arn) ? arns : [...arns, arn];
            else if (op.op === 'remove') authorizer.providerARNs = arns.filter((a) => a !== arn);
            else throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'");
            continue;
          }
          if (segments?.length !== 1 || !(REPLACEABLE as readonly string[]).includes(field)) throw invalidPatchPath(op.path);
          if (op.op !== 'replace') throw onlyReplace();
          replace(authorizer, field as Replaceable, op.value);
        }
        checkAuthorizer(authorizer);
        await deps.store.putAuthorizer(input.restApiId, authorizer);
        return authorizerView(authorizer);
      });
    },

    async DeleteAuthorizer(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const authorizer = await requireAuthorizer(deps, input.restApiId, input.authorizerId);
        const [methods, resources] = await Promise.all([deps.store.listMethods(input.restApiId), deps.store.listResources(input.restApiId)]);
        const user = methods.find(({ method }) => method.authorizerId === authorizer.id);
        if (user) {
          // AWS names the first method that still uses it as METHOD/path (e.g. "POST//expenses").
          const path = resources.find((r) => r.id === user.resourceId)?.path ?? '';
          throw conflict(`Cannot delete authorizer, is referenced in method: ${user.method.httpMethod}/${path}`);
        }
        await deps.store.deleteAuthorizer(input.restApiId, authorizer.id);
      });
    },

    async TestInvokeAuthorizer(input, ctx) {
      const api = await requireApi(deps, ctx, input.restApiId);
      const authorizer = await requireAuthorizer(deps, api.id, input.authorizerId);
      if (!deps.testInvokeAuthorizer) throw awsError('UnknownOperationException', 'TestInvokeAuthorizer needs the execute-api data plane, which is not running.', { status: 501 });
      return deps.testInvokeAuthorizer({ api, authorizer, request: input, sourceIp: ctx.sourceIp });
    },

    async FlushStageAuthorizersCache(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      if (!(await deps.store.getStage(input.restApiId, input.stageName))) throw stageNotFound();
      await deps.flushAuthorizerCache?.(input.restApiId, input.stageName);
    },
  };
}
