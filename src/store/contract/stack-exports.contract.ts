// The StackExportsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { RecordCheck } from '../stack-exports-store.js';
import { exportViolations } from '../../cloudformation/export-rules.js';

/** CloudFormation's rules as the exports endpoint checks a record with them. */
const rules = (stackName: string, exports: { name: string; value: string }[], imports: string[]): RecordCheck =>
  (current) => exportViolations(current, stackName, exports, imports);

export function stackExportsStoreContract(backend: StoreBackend): void {
  test(`${backend.name}: stack exports: replaced per stack, listed with their importers, per region, kept across a reopen`, async () => {
    const opened = await backend.open();
    const store = opened.stackExports;
    await store.replace('us-east-1', 'A', [{ name: 'A:Arn', value: 'arn-1' }, { name: 'A:Name', value: 'fn' }], []);
    await store.replace('us-east-1', 'B', [], ['A:Arn']);
    await store.replace('eu-west-1', 'C', [{ name: 'A:Arn', value: 'elsewhere' }], ['A:Arn']);
    assert.deepEqual(await store.list('us-east-1'), [
      { name: 'A:Arn', value: 'arn-1', stackName: 'A', importers: ['B'] },
      { name: 'A:Name', value: 'fn', stackName: 'A', importers: [] },
    ]);
    assert.deepEqual(await store.imports('us-east-1'), [{ stackName: 'B', exportName: 'A:Arn' }]);
    // A redeploy's exports and imports are exactly the new ones.
    await store.replace('us-east-1', 'A', [{ name: 'A:Arn', value: 'arn-2' }], []);
    await store.replace('us-east-1', 'B', [], ['A:Arn', 'A:Arn']);
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      assert.deepEqual(await reopened.stackExports.list('us-east-1'), [{ name: 'A:Arn', value: 'arn-2', stackName: 'A', importers: ['B'] }]);
      await reopened.stackExports.replace('us-east-1', 'B', [], []);
      assert.deepEqual(await reopened.stackExports.imports('us-east-1'), []);
      assert.deepEqual(await reopened.stackExports.list('eu-west-1'), [{ name: 'A:Arn', value: 'elsewhere', stackName: 'C', importers: ['C'] }]);
    } finally {
      await reopened.close();
    }
  });
}

export function stackExportsRaceContract(backend: StoreBackend): void {
  test(`${backend.name}: stack exports: two stores on one database recording one export name at once, exactly one wins`, async () => {
    const first = await backend.open();
    const second = await backend.open(first.location);
    try {
      for (let round = 0; round < 5; round++) {
        const name = `Shared:${round}`;
        const outcomes = await Promise.all([
          first.stackExports.replace('us-east-1', `A${round}`, [{ name, value: 'a' }], []),
          second.stackExports.replace('us-east-1', `B${round}`, [{ name, value: 'b' }], []),
        ]);
        assert.deepEqual([...outcomes].sort(), ['recorded', 'taken'], `round ${round}`);
        const owner = outcomes[0] === 'recorded' ? `A${round}` : `B${round}`;
        const held = (await second.stackExports.list('us-east-1')).filter((e) => e.name === name);
        assert.deepEqual(held.map((e) => e.stackName), [owner]);
      }
      // The loser's earlier exports are untouched: its transaction changed nothing.
      await first.stackExports.replace('us-east-1', 'L', [{ name: 'L:Own', value: '1' }], []);
      assert.equal(await second.stackExports.replace('us-east-1', 'W', [{ name: 'L:Own', value: '2' }], []), 'taken');
      assert.equal(await first.stackExports.replace('us-east-1', 'L', [{ name: 'L:Own', value: '1' }, { name: 'Shared:0', value: 'x' }], []), 'taken');
      assert.deepEqual((await first.stackExports.list('us-east-1')).filter((e) => e.name === 'L:Own'), [{ name: 'L:Own', value: '1', stackName: 'L', importers: [] }]);
    } finally {
      await second.close({ keep: true });
      await first.close();
    }
  });

  test(`${backend.name}: stack exports: an export removed while another store records an import of it, never an import of an export that is gone`, async () => {
    const first = await backend.open();
    const second = await backend.open(first.location);
    const region = 'us-east-1';
    try {
      for (let round = 0; round < 8; round++) {
        const [name, producer, consumer] = [`Gone:${round}`, `P${round}`, `C${round}`];
        const exported = [{ name, value: 'v' }];
        assert.equal(await first.stackExports.replace(region, producer, exported, [], rules(producer, exported, [])), 'recorded');
        // One store drops the export (its stack's new template lacks it) as the other records an import of it.
        const [dropped, imported] = await Promise.all([
          first.stackExports.replace(region, producer, [], [], rules(producer, [], [])),
          second.stackExports.replace(region, consumer, [], [name], rules(consumer, [], [name])),
        ]);
        if (dropped === 'recorded') assert.deepEqual(imported, { refused: [`No export named ${name} found`] }, `round ${round}`);
        else assert.deepEqual([dropped, imported], [{ refused: [`Export ${name} cannot be deleted as it is in use by ${consumer}`] }, 'recorded'], `round ${round}`);
        const names = new Set((await second.stackExports.list(region)).map((e) => e.name));
        const dangling = (await second.stackExports.imports(region)).filter((i) => !names.has(i.exportName));
        assert.deepEqual(dangling, [], `round ${round}: imports of exports that are gone`);
        // A changed value of an imported export is refused the same way.
        if (imported === 'recorded') {
          const changed = await first.stackExports.replace(region, producer, [{ name, value: 'w' }], [], rules(producer, [{ name, value: 'w' }], []));
          assert.deepEqual(changed, { refused: [`Export ${name} cannot be updated as it is in use by ${consumer}`] });
        }
      }
    } finally {
      await second.close({ keep: true });
      await first.close();
    }
  });
}
