// Stack exports as `stagecraft deploy` keeps them across runs and stacks: the platform endpoint a
// deploy reads the region's exports from (GET) and records a stack's exports and imports with
// (POST, checked by CloudFormation's rules first; a refused record changes nothing). The store runs
// the check and the write as one step per region (a transaction under the region's lock), so in a
// cluster a node can't delete or change an export while another records an import of it, nor two
// stacks take one name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FrontHandler } from '../server/edge.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import type { StackExport, StackExportsStore } from '../store/stack-exports-store.js';
import { jsonAnswer, verifiedBody } from '../server/signed-json-endpoint.js';
import { exportViolations } from './export-rules.js';

export const STACK_EXPORTS_PATH = '/_stagecraft/cloudformation/exports';

/** What a deploy records: the stack's exports (name and value) and the export names it imports. */
export interface StackExportsRecord {
  region: string;
  stackName: string;
  exports: { name: string; value: string }[];
  imports: string[];
}

/** The region's exports, with the stacks importing each. */
export interface StackExportsListing {
  exports: StackExport[];
}

const MAX_BODY = 1024 * 1024;
const isString = (v: unknown, max = 1024): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The record in a POST body, or what is wrong with it. */
function parseRecord(raw: Buffer): StackExportsRecord | string {
  let body: Partial<Record<keyof StackExportsRecord, unknown>>;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'the body is JSON: {"region", "stackName", "exports": [{"name", "value"}], "imports": [names]}';
  }
  const { region, stackName, exports, imports } = body ?? {};
  if (!isString(region, 64) || !isString(stackName, 128)) return 'region and stackName are strings';
  if (!Array.isArray(exports) || !exports.every((e) => e && isString(e.name, 255) && typeof e.value === 'string' && e.value.length <= 1024 * 64)) {
    return 'exports is a list of {"name", "value"} strings';
  }
  if (!Array.isArray(imports) || !imports.every((i) => isString(i, 255))) return 'imports is a list of export names';
  return { region, stackName, exports: exports.map((e) => ({ name: e.name, value: e.value })), imports };
}

export function createStackExportsEndpoint(store: StackExportsStore, verifier?: SigV4Verifier): FrontHandler {
  // One record at a time on this node: it holds at most one connection waiting for a region's lock.
  let last: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = last.then(fn, fn);
    last = run.catch(() => undefined);
    return run;
  };
  return {
    claims: (_req, url) => url.pathname === STACK_EXPORTS_PATH,
    handle: (req, res, url) => handle(store, verifier, serialized, req, res, url),
  };
}

async function handle(store: StackExportsStore, verifier: SigV4Verifier | undefined, serialized: <T>(fn: () => Promise<T>) => Promise<T>,
  req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const answer = jsonAnswer(res);
  const raw = await verifiedBody(req, verifier, MAX_BODY, answer);
  if (!raw) return;
  if (req.method === 'GET') {
    const region = url.searchParams.get('region');
    if (!region) return answer(400, { __type: 'ValidationError', message: 'region is required' });
    return answer(200, { exports: await store.list(region) } satisfies StackExportsListing);
  }
  if (req.method !== 'POST') return answer(405, { message: 'GET or POST' });
  const record = parseRecord(raw);
  if (typeof record === 'string') return answer(400, { __type: 'ValidationError', message: record });
  const violations = await serialized(() => checkedReplace(store, record));
  if (violations.length) return answer(400, { __type: 'ValidationError', message: violations.join('; ') });
  answer(200, { exports: await store.list(record.region) } satisfies StackExportsListing);
}

/** Times a record whose names a writer outside the region's lock took between check and write is checked again. */
const MAX_CHECKS = 3;

/** CloudFormation's refusals of the record (as the region's exports are when it would be written), or none once it is written. */
async function checkedReplace(store: StackExportsStore, record: StackExportsRecord): Promise<string[]> {
  const check = (current: readonly StackExport[]) => exportViolations(current, record.stackName, record.exports, record.imports);
  for (let checks = 1; ; checks++) {
    const outcome = await store.replace(record.region, record.stackName, record.exports, record.imports, check);
    if (outcome === 'recorded') return [];
    if (outcome !== 'taken') return outcome.refused;
    // Taken and let go again before we looked: other deploys keep changing these names.
    if (checks === MAX_CHECKS) return [`Export names of stack ${record.stackName} are being changed by other deploys; retry`];
  }
}
