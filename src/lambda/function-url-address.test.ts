// Function URL addresses: the URL handed out, and what a request's host or path addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionUrlOf, isFunctionUrlRequest, newUrlId, urlTarget } from './function-url-address.js';

const ID = 'abcdefghijklmnopqrstuvwxyz012345';

test('url-ids are 32 lowercase alphanumerics; the URL carries the port the client used', () => {
  assert.match(newUrlId(), /^[a-z0-9]{32}$/);
  assert.notEqual(newUrlId(), newUrlId());
  assert.equal(functionUrlOf(ID, 'eu-west-1', 'http://127.0.0.1:4566'), `http://${ID}.lambda-url.eu-west-1.localhost:4566/`);
  assert.equal(functionUrlOf(ID, 'eu-west-1', 'http://stagecraft.internal'), `http://${ID}.lambda-url.eu-west-1.localhost/`);
});

test('the host form names the url-id and region; the path form only the url-id', () => {
  assert.deepEqual(urlTarget(`${ID}.lambda-url.us-east-1.localhost:4566`, '/a/b?x=1#frag'), { urlId: ID, region: 'us-east-1', rawPath: '/a/b', rawQuery: 'x=1' });
  assert.deepEqual(urlTarget('localhost:4566', `/lambda-url/${ID.toUpperCase()}/a?x=1`), { urlId: ID, rawPath: '/a', rawQuery: 'x=1' });
  assert.deepEqual(urlTarget('localhost', `/lambda-url/${ID}`), { urlId: ID, rawPath: '/', rawQuery: '' });
  assert.deepEqual(urlTarget(`${ID}.lambda-url.us-east-1.on.aws`, `http://${ID}.lambda-url.us-east-1.on.aws/p`), { urlId: ID, region: 'us-east-1', rawPath: '/p', rawQuery: '' });
  assert.equal(urlTarget('localhost', `/lambda-url/${ID}x/`), undefined, 'an id of another length is not a URL');
  assert.ok(isFunctionUrlRequest(`${ID}.lambda-url.us-east-1.localhost`, '/'));
  assert.ok(isFunctionUrlRequest('localhost', `/lambda-url/${ID}/`));
  assert.ok(!isFunctionUrlRequest('abc.execute-api.localhost', '/2015-03-31/functions'));
  assert.ok(!isFunctionUrlRequest(undefined, '/lambda-url/short/'));
});
