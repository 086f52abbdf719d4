import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAGE_ROWS, resultsPage } from './results-page.js';

const rows = Array.from({ length: 25 }, (_, i) => i);

test('a token is valid for one hour after its page was read', () => {
  const first = resultsPage(rows, { queryId: 'q', maxItems: 10 }, 1_000);
  assert.deepEqual(first.results, rows.slice(0, 10));
  const second = resultsPage(rows, { queryId: 'q', maxItems: 10, nextToken: first.nextToken }, 1_000 + 3_599_999);
  assert.deepEqual(second.results, rows.slice(10, 20));
  assert.throws(() => resultsPage(rows, { queryId: 'q', nextToken: first.nextToken }, 1_000 + 3_600_000), /The specified nextToken has expired\./);
});

test('maxItems 0 or none is a page of 10,000 rows', () => {
  const many = Array.from({ length: MAX_PAGE_ROWS + 1 }, (_, i) => i);
  for (const maxItems of [0, undefined]) {
    const page = resultsPage(many, { queryId: 'q', maxItems }, 0);
    assert.equal(page.results.length, MAX_PAGE_ROWS);
    assert.deepEqual(resultsPage(many, { queryId: 'q', nextToken: page.nextToken }, 0), { results: [MAX_PAGE_ROWS], nextToken: undefined });
  }
});
