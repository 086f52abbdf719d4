// ImportApiKeys (format=csv): creates the keys of an API key file (api-key-csv.ts) and adds them
// to the usage plans it names. A key whose value exists already is overwritten (name,
// description, enabled), keeping its id, as AWS documents. Rows AWS would not accept — a value
// outside 20–128 characters, a name over 1024, an Enabled that is not true or false — and unknown
// plans are warnings: with failOnWarnings nothing is imported (400 with the warnings); without,
// the rest is imported and the warnings are returned with the ids. Imported keys are enabled
// unless the file says otherwise and are usable at once.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { ApiKeyIds, Operations } from '../../aws/generated/apigateway.js';
import type { ApiKeyRecord, UsagePlanRecord } from '../../store/apigateway-store.js';
import type { AwsError } from '../../core/errors.js';
import { newShortId } from '../../core/ids.js';
import { badRequest } from '../errors.js';
import { parseApiKeyCsv, type ApiKeyRow } from '../api-key-csv.js';
import { scopeOf, type Deps } from './context.js';
import { withUsageLock } from './api-keys.js';
import { checkKeyMayJoin } from './usage-plans.js';

/** The row's problems, in AWS's order of columns. */
function rowWarnings(row: ApiKeyRow): string[] {
  const warnings: string[] = [];
  if (row.key.length < 20 || row.key.length > 128) warnings.push(`Invalid API Key value at line ${row.line}: it must be 20 to 128 characters`);
  if (row.name.length > 1024) warnings.push(`Invalid API Key name at line ${row.line}: it can be at most 1024 characters`);
  if (!/^(|true|false)$/i.test(row.enabled)) warnings.push(`Invalid Enabled value at line ${row.line}: ${row.enabled}`);
  return warnings;
}

export function importApiKeyHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async ImportApiKeys(input, ctx) {
      if (input.format !== 'csv') throw badRequest(`Invalid format specified: ${input.format}. Only csv is supported`);
      const rows = parseApiKeyCsv(input.body ? input.body.toString('utf8') : '');
      if (typeof rows === 'string') throw badRequest(rows);
      return withUsageLock(deps, async () => {
        const scope = scopeOf(ctx);
        const warnings: string[] = [];
        const plans = new Map<string, UsagePlanRecord | undefined>();
        // A later row with the same value overwrites an earlier one.
        const accepted = new Map<string, ApiKeyRow>();
        for (const row of rows) {
          const problems = rowWarnings(row);
          warnings.push(...problems);
          for (const id of row.usagePlanIds) {
            if (!plans.has(id)) plans.set(id, await deps.store.getUsagePlan(scope, id));
            if (!plans.get(id)) warnings.push(`Invalid Usage Plan ID specified at line ${row.line}: ${id}`);
          }
          if (!problems.length) accepted.set(row.key, row);
        }
        if (warnings.length && input.failOnWarnings) throw badRequest(`Invalid API key file: ${warnings.join('; ')}`);
        const ids: string[] = [];
        for (const row of accepted.values()) {
          const key = await importKey(deps, scope, row);
          ids.push(key.id);
          for (const planId of row.usagePlanIds) {
            const plan = plans.get(planId);
            if (!plan || (await deps.store.listUsagePlans(scope, key.id)).some((p) => p.id === plan.id)) continue;
            try {
              await checkKeyMayJoin(deps, ctx, plan, key.id);
              await deps.store.addUsagePlanKey(plan.id, key.id);
            } catch (e) {
              // A key reaching one API stage through two plans: AWS's conflict, as a warning.
              warnings.push(`Line ${row.line}: ${(e as AwsError).message}`);
            }
          }
        }
        const answer: ApiKeyIds = { ids };
        if (warnings.length) answer.warnings = warnings;
        return answer;
      });
    },
  };
}

/** Creates the row's key, or overwrites the key that has its value. */
async function importKey(deps: Deps, scope: { accountId: string; region: string }, row: ApiKeyRow): Promise<ApiKeyRecord> {
  const now = deps.now();
  const fields = {
    enabled: row.enabled.toLowerCase() !== 'false', lastUpdatedDate: now,
    ...(row.name ? { name: row.name } : {}), ...(row.description ? { description: row.description } : {}),
  };
  const existing = await deps.store.findApiKeyByValue(scope, row.key);
  if (existing) {
    const { name: _n, description: _d, ...kept } = existing;
    const updated: ApiKeyRecord = { ...kept, ...fields };
    await deps.store.updateApiKey(updated);
    return updated;
  }
  const key: ApiKeyRecord = { ...scope, id: newShortId(10), value: row.key, createdDate: now, stageKeys: [], tags: {}, ...fields };
  while (!(await deps.store.createApiKey(key))) key.id = newShortId(10);
  return key;
}
