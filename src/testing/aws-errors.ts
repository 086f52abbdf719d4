// Test support: asserting the error an AWS SDK v3 call fails with, as AWS names and words it.
import assert from 'node:assert/strict';

/**
 * Asserts that `call` fails with the error `name`, whose message is `message` (a string: exactly;
 * a RegExp: matching) and whose HTTP status is `status`, each when given.
 */
export async function expectAwsError(call: Promise<unknown>, name: string, message?: string | RegExp, status?: number): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}
