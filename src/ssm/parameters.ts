// PutParameter, GetParameter, GetParameters, DeleteParameter, DeleteParameters.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, PutParameterRequest } from '../aws/generated/ssm.js';
import type { StoredParameter, StoredParameterVersion } from '../store/ssm-store.js';
import { updateDocument } from '../store/named-documents.js';
import {
  advancedTooLarge, downgradeRefused, maxVersions, invalidAllowedPattern, parameterExists, parameterNotFound, patternMismatch, standardTooLarge, tagsWithOverwrite,
  unsupportedDataType, validation,
} from './errors.js';
import { checkNewName } from './names.js';
import { current, DEFAULT_KEY_ID, findVersion, parameterView, scopeOf, userOf, type SsmDeps } from './resources.js';

const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
const MAX_VERSIONS = 100;
const DATA_TYPES = new Set(['text', 'aws:ec2:image', 'aws:ssm:integration']);

/** Checks AllowedPattern (a regular expression the whole value must match). */
function checkPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined) return;
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    throw invalidAllowedPattern();
  }
  const m = re.exec(value);
  if (!m || m[0] !== value) throw patternMismatch(pattern);
}

/** The tier a version is stored in: Intelligent-Tiering picks Advanced only for what Standard cannot hold; Advanced stays Advanced. */
function tierOf(input: PutParameterRequest, previous: StoredParameterVersion | undefined): 'Standard' | 'Advanced' {
  const size = Buffer.byteLength(input.Value, 'utf8');
  const asked = input.Tier ?? (previous?.tier === 'Advanced' ? 'Advanced' : 'Standard');
  if (asked === 'Standard' && previous?.tier === 'Advanced') throw downgradeRefused();
  const tier = asked === 'Intelligent-Tiering' ? (size > STANDARD_MAX || previous?.tier === 'Advanced' ? 'Advanced' : 'Standard') : asked;
  if (tier === 'Standard' && size > STANDARD_MAX) throw standardTooLarge();
  if (size > ADVANCED_MAX) throw advancedTooLarge();
  return tier;
}

/** Drops the oldest version once there are 100 (AWS refuses when that one still has a label). */
function capHistory(name: string, versions: StoredParameterVersion[]): StoredParameterVersion[] {
  if (versions.length <= MAX_VERSIONS) return versions;
  const oldest = versions[0];
  if (oldest.labels.length) throw maxVersions(name, oldest.version);
  return versions.slice(1);
}

export function parameterHandlers(deps: SsmDeps): HandlerTable<Operations> {
  return {
    async PutParameter(input, ctx) {
      const scope = scopeOf(ctx);
      // AWS's order of checks: the value, tags with overwrite, then the name.
      if (input.Value === '') throw validation('1 validation error detected: Value \'\' at \'value\' failed to satisfy constraint: Member must have length greater than or equal to 1.');
      if (input.Tags?.length && input.Overwrite) throw tagsWithOverwrite();
      const name = checkNewName(input.Name);
      const dataType = input.DataType ?? 'text';
      if (!DATA_TYPES.has(dataType)) throw unsupportedDataType(dataType);
      return updateDocument(deps.store, scope, name, (found) => {
        const previous = found ? current(found.doc) : undefined;
        if (previous && !input.Overwrite) throw parameterExists();
        const type = input.Type ?? previous?.type;
        if (!type) throw validation('A parameter type is required when you create a parameter.');
        const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
        checkPattern(allowedPattern, input.Value);
        const tier = tierOf(input, previous);
        // An overwrite keeps the description and pattern it does not give.
        const description = input.Description ?? previous?.description;
        const version: StoredParameterVersion = {
          version: (previous?.version ?? 0) + 1, value: input.Value, type, tier, dataType, labels: [], lastModifiedMs: deps.now(), lastModifiedUser: userOf(ctx),
          ...(description !== undefined ? { description } : {}),
          ...(allowedPattern !== undefined ? { allowedPattern } : {}),
          ...(type === 'SecureString' ? { keyId: input.KeyId ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY_ID } : {}),
          ...(input.Policies !== undefined ? { policies: input.Policies } : {}),
        };
        const doc: StoredParameter = found
          ? { ...found.doc, versions: capHistory(name, [...found.doc.versions, version]) }
          : { versions: [version], tags: input.Tags ?? [] };
        return { doc, result: { Version: version.version, Tier: tier } };
      });
    },
    async GetParameter(input, ctx) {
      const scope = scopeOf(ctx);
      const found = await findVersion(deps, scope, input.Name);
      return { Parameter: parameterView(scope, found.name, found.version, input.WithDecryption === true, found.selector) };
    },
    async GetParameters(input, ctx) {
      const scope = scopeOf(ctx);
      const Parameters = [];
      const InvalidParameters: string[] = [];
      for (const name of [...new Set(input.Names)]) {
        try {
          const found = await findVersion(deps, scope, name);
          Parameters.push(parameterView(scope, found.name, found.version, input.WithDecryption === true, found.selector));
        } catch {
          InvalidParameters.push(name);
        }
      }
      return { Parameters, InvalidParameters };
    },
    async DeleteParameter(input, ctx) {
      if (!(await deps.store.delete(scopeOf(ctx), input.Name))) throw parameterNotFound();
      return {};
    },
    async DeleteParameters(input, ctx) {
      const scope = scopeOf(ctx);
      const DeletedParameters: string[] = [];
      const InvalidParameters: string[] = [];
      for (const name of [...new Set(input.Names)]) (await deps.store.delete(scope, name) ? DeletedParameters : InvalidParameters).push(name);
      return { DeletedParameters, InvalidParameters };
    },
  };
}
