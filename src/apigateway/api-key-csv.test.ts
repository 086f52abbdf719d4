// The API key file of ImportApiKeys: columns in any order and case, quoted fields, CRLF lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApiKeyCsv } from './api-key-csv.js';

test('columns are found by name in any case and order; quotes hold commas; unknown columns are ignored', () => {
  const rows = parseApiKeyCsv('Enabled,Name,key,UsageplanIds,Other\r\ntrue,"My, key",k1,"p1, p2",x\r\n\r\nFALSE,second,k2,\'p3\'\r\n');
  assert.deepEqual(rows, [
    { line: 2, name: 'My, key', key: 'k1', description: '', enabled: 'true', usagePlanIds: ['p1', 'p2'] },
    { line: 4, name: 'second', key: 'k2', description: '', enabled: 'FALSE', usagePlanIds: ['p3'] },
  ]);
});

test('a doubled quote inside a quoted field is one quote; a quoted field may span lines', () => {
  const rows = parseApiKeyCsv('key,name,description\nk1,n,"say ""hi""\nthere"\nk2,m,plain\n');
  assert.ok(Array.isArray(rows));
  assert.equal(rows[0].description, 'say "hi"\nthere');
  assert.equal(rows[1].line, 4);
});

test('a file without the Name and Key columns, or empty, cannot be read', () => {
  assert.equal(typeof parseApiKeyCsv('key,description\nk1,d\n'), 'string');
  assert.equal(typeof parseApiKeyCsv(''), 'string');
  assert.deepEqual(parseApiKeyCsv('\uFEFFname,key\n'), [], 'a byte-order mark and no rows');
});
