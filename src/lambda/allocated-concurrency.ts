// The concurrency an account has set aside: its functions' reserved concurrency plus their
// provisioned concurrency. ClaimedAccountConcurrency is this plus the invocations running
// unreserved; Provisioning works it out whenever it re-plans (after every Lambda write).
import type { FunctionKey, LambdaStore, ProvisionedConcurrencyRecord } from '../store/lambda-store.js';

/** By account key (`accountId:region`, as the concurrency tracker names accounts). */
export async function allocatedConcurrency(
  store: Pick<LambdaStore, 'totalReserved'>,
  provisioned: readonly (FunctionKey & ProvisionedConcurrencyRecord)[],
  accounts: Iterable<string>,
): Promise<Map<string, number>> {
  const allocated = new Map<string, number>();
  for (const row of provisioned) {
    const key = `${row.accountId}:${row.region}`;
    allocated.set(key, (allocated.get(key) ?? 0) + row.requested);
  }
  for (const key of new Set([...accounts, ...allocated.keys()])) {
    const [accountId, region] = key.split(':');
    allocated.set(key, (allocated.get(key) ?? 0) + (await store.totalReserved(accountId, region)));
  }
  return allocated;
}
