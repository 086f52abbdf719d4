// CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey and DeleteApiKey. Keys belong to the account
// and region; a key admits requests to the API stages of the usage plans it is added to
// (usage-plans.ts), and only while it is enabled (AWS creates keys disabled unless told otherwise).
import { randomBytes } from 'node:crypto';
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { ApiKey, Operations } from '../../aws/generated/apigateway.js';
import type { ApiKeyRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { apiKeyNotFound, badRequest, conflict, invalidPathForReplace, unsupportedOpForPath } from '../errors.js';
import { parseBoolean, pathSegments } from '../patch.js';
import { listPage, scopeOf, type Deps } from './context.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** AWS generates 40 alphanumerics. */
function generatedValue(): string {
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

const MAX_NAME = 1024;
const MAX_DESCRIPTION = 125_000;
const REPLACEABLE = ['/description', '/enabled', '/name', '/customerId'];

/** Writes to keys and plans span REST APIs, so they share one lock of their own. */
export const USAGE_LOCK = 'usage-plans';
export const withUsageLock = <T>(deps: Deps, fn: () => Promise<T>): Promise<T> => deps.locks.run(USAGE_LOCK, fn);

/**
 * A key as AWS returns it: the value only when asked for (and on create), `tags` always on
 * GetApiKey and UpdateApiKey (recorded as `{}`), elsewhere only when there are some.
 */
export function apiKeyView(key: ApiKeyRecord, options: { value?: boolean; tagsAlways?: boolean } = {}): ApiKey {
  const view: ApiKey = { id: key.id };
  if (options.value) view.value = key.value;
  if (key.name !== undefined) view.name = key.name;
  if (key.customerId !== undefined) view.customerId = key.customerId;
  if (key.description !== undefined) view.description = key.description;
  view.enabled = key.enabled;
  view.createdDate = new Date(key.createdDate);
  view.lastUpdatedDate = new Date(key.lastUpdatedDate);
  view.stageKeys = [...key.stageKeys];
  if (options.tagsAlways || Object.keys(key.tags).length) view.tags = { ...key.tags };
  return view;
}

export async function requireApiKey(deps: Deps, ctx: RequestContext, id: string): Promise<ApiKeyRecord> {
  const key = await deps.store.getApiKey(scopeOf(ctx), id);
  if (!key) throw apiKeyNotFound();
  return key;
}

function checkName(name: string | undefined): void {
  if (name !== undefined && name.length > MAX_NAME) throw badRequest(`Invalid API Key name, can be at most ${MAX_NAME} characters.`);
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) throw badRequest('Invalid API Key description specified.');
}

/** Stage keys are "{restApiId}/{stageName}"; AWS keeps them on the key (they predate usage plans). */
const stageKeyOf = (restApiId = '', stageName = '') => `${restApiId}/${stageName}`;

export function apiKeyHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateApiKey(input, ctx) {
      // An empty name or value is as good as none (recorded): the key gets no name, a generated value.
      const name = input.name || undefined;
      checkName(name);
      checkDescription(input.description);
      const given = input.value || undefined;
      if (given !== undefined && given.length < 20) throw badRequest('API Key value should be at least 20 characters');
      if (given !== undefined && given.length > 128) throw badRequest('API Key value exceeds maximum size of 128 characters');
      const now = deps.now();
      const key: ApiKeyRecord = {
        ...scopeOf(ctx), id: newShortId(10), value: given ?? generatedValue(), enabled: input.enabled ?? false,
        createdDate: now, lastUpdatedDate: now, stageKeys: [...new Set((input.stageKeys ?? []).map((k) => stageKeyOf(k.restApiId, k.stageName)))],
        tags: { ...input.tags },
      };
      if (name !== undefined) key.name = name;
      if (input.description !== undefined) key.description = input.description;
      if (input.customerId !== undefined) key.customerId = input.customerId;
      return withUsageLock(deps, async () => {
        if (given !== undefined && (await deps.store.findApiKeyByValue(scopeOf(ctx), given))) throw conflict('API Key already exists');
        // Given values were checked above under the lock, so only a drawn id (or value) can collide.
        while (!(await deps.store.createApiKey(key))) {
          key.id = newShortId(10);
          if (given === undefined) key.value = generatedValue();
        }
        return apiKeyView(key, { value: true });
      });
    },

    async GetApiKey(input, ctx) {
      return apiKeyView(await requireApiKey(deps, ctx, input.apiKey), { value: input.includeValue ?? false, tagsAlways: true });
    },

    async GetApiKeys(input, ctx) {
      // nameQuery is a case-sensitive prefix of the name (recorded).
      const keys = (await deps.store.listApiKeys(scopeOf(ctx))).filter((k) =>
        (input.nameQuery === undefined || (k.name ?? '').startsWith(input.nameQuery))
        && (input.customerId === undefined || k.customerId === input.customerId));
      return listPage(keys, input, (k) => apiKeyView(k, { value: input.includeValues ?? false }));
    },

    async UpdateApiKey(input, ctx) {
      return withUsageLock(deps, async () => {
        const key = structuredClone(await requireApiKey(deps, ctx, input.apiKey));
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (path === '/stages') {
            // Legacy stage keys: add or remove "{restApiId}/{stageName}".
            const value = op.value ?? '';
            if (op.op === 'add') key.stageKeys = key.stageKeys.includes(value) ? key.stageKeys : [...key.stageKeys, value];
            else if (op.op === 'remove') key.stageKeys = key.stageKeys.filter((k) => k !== value);
            else throw unsupportedOpForPath(path, op.op ?? 'null');
            continue;
          }
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          const [field] = pathSegments(path) ?? [];
          if (!REPLACEABLE.includes(path)) throw invalidPathForReplace(path, REPLACEABLE);
          if (field === 'enabled') {
            // Anything but "true" disables the key (recorded: "not-a-boolean" gives false).
            key.enabled = parseBoolean(op.value);
          } else if (field === 'name') {
            checkName(op.value);
            if (op.value) key.name = op.value;
            else delete key.name;
          } else if (field === 'description') {
            checkDescription(op.value);
            if (op.value) key.description = op.value;
            else delete key.description;
          } else if (op.value) {
            key.customerId = op.value;
          } else {
            delete key.customerId;
          }
        }
        key.lastUpdatedDate = deps.now();
        await deps.store.updateApiKey(key);
        return apiKeyView(key, { tagsAlways: true });
      });
    },

    async DeleteApiKey(input, ctx) {
      await withUsageLock(deps, async () => {
        if (!(await deps.store.deleteApiKey(scopeOf(ctx), input.apiKey))) throw apiKeyNotFound();
      });
    },
  };
}
