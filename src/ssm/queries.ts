// GetParametersByPath and DescribeParameters: the scope's parameters through ParameterFilters
// (and DescribeParameters' older Filters), a page at a time in name order.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, ParameterStringFilter, ParametersFilter } from '../aws/generated/ssm.js';
import type { StoredParameter } from '../store/ssm-store.js';
import { invalidFilterKey, invalidFilterOption, invalidFilterValue, validation } from './errors.js';
import { checkPath } from './names.js';
import { current, DEFAULT_KEY_ID, metadataView, page, parameterView, scopeOf, type SsmDeps } from './resources.js';

type Named = { name: string; doc: StoredParameter };
type Test = (p: Named) => boolean;

const BY_PATH_KEYS = /^(Type|KeyId|Label|tag:.+)$/;
const DESCRIBE_KEYS = /^(Name|Type|KeyId|Path|Tier|DataType|tag:.+)$/;

/** Whether `name` sits under `path` (a path ending in a slash): directly, or at any depth when recursive. */
export const under = (name: string, path: string, recursive: boolean): boolean =>
  name.startsWith(path) && (recursive || !name.slice(path.length).includes('/'));

function filterTest(f: ParameterStringFilter): Test {
  const values = f.Values ?? [];
  const option = f.Option ?? (f.Key === 'Path' ? 'OneLevel' : 'Equals');
  const allowed = f.Key === 'Path' ? ['Recursive', 'OneLevel'] : f.Key === 'Name' ? ['Equals', 'BeginsWith', 'Contains'] : ['Equals'];
  if (!allowed.includes(option)) {
    throw invalidFilterOption(f.Key === 'Path' ? `The following filter option is not valid: ${option}. Valid options include: [Recursive, OneLevel].`
      : `The following filter option is not valid: ${option}. Valid options include: [${allowed.join(', ')}].`);
  }
  if (f.Key.startsWith('tag:')) {
    const key = f.Key.slice(4);
    return ({ doc }) => doc.tags.some((t) => t.Key === key && (values.length === 0 || values.includes(t.Value)));
  }
  if (values.length === 0) throw invalidFilterValue(`The following filter values are missing : null for filter key ${f.Key}.`);
  switch (f.Key) {
    case 'Name': {
      const plain = (n: string) => (n.startsWith('/') ? n : `/${n}`);
      if (option === 'Contains') return ({ name }) => values.some((v) => name.includes(v));
      if (option === 'BeginsWith') return ({ name }) => values.some((v) => plain(name).startsWith(plain(v)));
      return ({ name }) => values.some((v) => plain(name) === plain(v));
    }
    case 'Path': {
      const paths = values.map(checkPath);
      return ({ name }) => paths.some((p) => (p === '/' ? option === 'Recursive' || !name.slice(1).includes('/') : under(name, p, option === 'Recursive')));
    }
    case 'Type':
      return ({ doc }) => values.includes(current(doc).type);
    case 'KeyId':
      return ({ doc }) => current(doc).type === 'SecureString' && values.includes(current(doc).keyId ?? DEFAULT_KEY_ID);
    case 'Tier':
      return ({ doc }) => values.includes(current(doc).tier);
    case 'DataType':
      return ({ doc }) => values.includes(current(doc).dataType);
    default: // Label
      return ({ doc }) => doc.versions.some((v) => v.labels.some((l) => values.includes(l)));
  }
}

function stringFilters(filters: ParameterStringFilter[] | undefined, keys: RegExp): Test[] {
  return (filters ?? []).map((f) => {
    if (!keys.test(f.Key)) throw invalidFilterKey();
    return filterTest(f);
  });
}

/** DescribeParameters' older Filters: Name (names beginning with a value), Type, KeyId. */
const legacyFilters = (filters: ParametersFilter[] | undefined): Test[] =>
  (filters ?? []).map((f) => filterTest({ Key: f.Key, Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', Values: f.Values }));

export function queryHandlers(deps: SsmDeps): HandlerTable<Operations> {
  return {
    async GetParametersByPath(input, ctx) {
      const scope = scopeOf(ctx);
      const path = checkPath(input.Path);
      const tests = stringFilters(input.ParameterFilters, BY_PATH_KEYS);
      const all = (await deps.store.list(scope, path === '/' ? undefined : path))
        .filter((p) => (path === '/' ? input.Recursive === true || !p.name.slice(1).includes('/') : under(p.name, path, input.Recursive === true)))
        .filter((p) => tests.every((t) => t(p)));
      const { items, NextToken } = page(all, (p) => p.name, input.MaxResults ?? 10, input.NextToken);
      return { Parameters: items.map((p) => parameterView(scope, p.name, current(p.doc), input.WithDecryption === true)), ...(NextToken ? { NextToken } : {}) };
    },
    async DescribeParameters(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.Filters?.length && input.ParameterFilters?.length) throw validation('You can use either Filters or ParameterFilters in a single request.');
      const tests = [...legacyFilters(input.Filters), ...stringFilters(input.ParameterFilters, DESCRIBE_KEYS)];
      const all = (await deps.store.list(scope)).filter((p) => tests.every((t) => t(p)));
      const { items, NextToken } = page(all, (p) => p.name, input.MaxResults ?? 50, input.NextToken);
      return { Parameters: items.map((p) => metadataView(scope, p.name, p.doc)), ...(NextToken ? { NextToken } : {}) };
    },
  };
}
