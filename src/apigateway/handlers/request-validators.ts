// CreateRequestValidator, GetRequestValidator, GetRequestValidators, UpdateRequestValidator and
// DeleteRequestValidator: an API's request validators, which methods name by id
// (requestValidatorId). A deployment freezes them (snapshot.ts); messages are AWS's (recorded).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations, RequestValidator } from '../../aws/generated/apigateway.js';
import type { RequestValidatorRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict, invalidPathForReplace, unsupportedOpForPath, validatorNotFound } from '../errors.js';
import { parseBoolean } from '../patch.js';
import { listPage, locatedMethods, requireApi, withApiLock, type Deps } from './context.js';

const PATCHABLE = ['/name', '/validateRequestParameters', '/validateRequestBody'];

export function requestValidatorView(v: RequestValidatorRecord): RequestValidator {
  const view: RequestValidator = { id: v.id };
  if (v.name !== undefined) view.name = v.name;
  view.validateRequestBody = v.validateRequestBody;
  view.validateRequestParameters = v.validateRequestParameters;
  return view;
}

/** AWS answers a missing API and a missing validator alike here (recorded). */
async function requireValidator(deps: Deps, ctx: Parameters<typeof requireApi>[1], apiId: string, id: string): Promise<RequestValidatorRecord> {
  await requireApi(deps, ctx, apiId, validatorNotFound);
  const validator = await deps.store.getRequestValidator(apiId, id);
  if (!validator) throw validatorNotFound();
  return validator;
}

/** The first method (by path) that names the validator; deleting it then is refused (our wording: AWS's is not recorded). */
async function usedBy(deps: Deps, apiId: string, id: string): Promise<string | undefined> {
  return (await locatedMethods(deps, apiId)).find(({ method }) => method.requestValidatorId === id)?.where;
}

export function requestValidatorHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateRequestValidator(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId, () => badRequest('Invalid REST API identifier specified'));
        const validator: RequestValidatorRecord = {
          id: newShortId(6),
          validateRequestBody: input.validateRequestBody ?? false,
          validateRequestParameters: input.validateRequestParameters ?? false,
        };
        if (input.name !== undefined) validator.name = input.name;
        await deps.store.putRequestValidator(input.restApiId, validator);
        return requestValidatorView(validator);
      });
    },

    async GetRequestValidator(input, ctx) {
      return requestValidatorView(await requireValidator(deps, ctx, input.restApiId, input.requestValidatorId));
    },

    async GetRequestValidators(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return listPage(await deps.store.listRequestValidators(input.restApiId), input, requestValidatorView);
    },

    async UpdateRequestValidator(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const validator = structuredClone(await requireValidator(deps, ctx, input.restApiId, input.requestValidatorId));
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          if (path === '/name') {
            if (!op.value?.trim()) throw badRequest('Request Validator name cannot be blank');
            validator.name = op.value;
          } else if (path === '/validateRequestBody') {
            validator.validateRequestBody = parseBoolean(op.value);
          } else if (path === '/validateRequestParameters') {
            validator.validateRequestParameters = parseBoolean(op.value);
          } else {
            throw invalidPathForReplace(path, PATCHABLE);
          }
        }
        await deps.store.putRequestValidator(input.restApiId, validator);
        return requestValidatorView(validator);
      });
    },

    async DeleteRequestValidator(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireValidator(deps, ctx, input.restApiId, input.requestValidatorId);
        const user = await usedBy(deps, input.restApiId, input.requestValidatorId);
        if (user) throw conflict(`Cannot delete request validator '${input.requestValidatorId}', is referenced in method: ${user}`);
        await deps.store.deleteRequestValidator(input.restApiId, input.requestValidatorId);
      });
    },
  };
}
