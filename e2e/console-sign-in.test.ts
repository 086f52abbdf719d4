// The console on a server that verifies signatures: it signs in once with an access key and its
// secret (a browser on plain HTTP cannot sign SigV4), then its requests (console/api.js, loaded as
// the browser loads it) pass on the session cookie plus the console header, and on nothing less.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';

const KEY = { accessKeyId: 'AKIACONSOLE0000001', secretAccessKey: 'console-secret' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `${KEY.accessKeyId}:${KEY.secretAccessKey}` } });
const load = (name: string): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', name)).href);

/** fetch with one cookie jar, as a browser tab has. */
function browserFetch() {
  const jar = new Map<string, string>();
  const f = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (v === '') jar.delete(k);
      else jar.set(k, v);
    }
    return res;
  };
  return { fetch: f, jar };
}

test('the console signs in, works while signed in, and is refused after signing out', async () => {
  const { createClient, AwsError } = await load('api.js');
  const browser = browserFetch();
  const client = createClient({ baseUrl: env.url, fetch: browser.fetch });
  assert.deepEqual(await client.session(), { authentication: 'sigv4', signedIn: false });
  await assert.rejects(client.listFunctions(), (e: any) => e instanceof AwsError && e.status === 403 && e.type === 'MissingAuthenticationTokenException');

  await assert.rejects(client.signIn(KEY.accessKeyId, 'wrong'), (e: any) => e.status === 403);
  assert.equal(browser.jar.size, 0);
  const res = await fetch(`${env.url}/_stagecraft/session`, { method: 'POST', headers: { 'x-stagecraft-console': '1' }, body: JSON.stringify(KEY) });
  assert.match(res.headers.get('set-cookie')!, /^stagecraft_console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);

  assert.deepEqual(await client.signIn(KEY.accessKeyId, KEY.secretAccessKey), { signedIn: true, accessKeyId: KEY.accessKeyId });
  assert.deepEqual(await client.session(), { authentication: 'sigv4', signedIn: true, accessKeyId: KEY.accessKeyId });
  assert.deepEqual(await client.listFunctions(), []);
  // The newer pages' calls, the export download included, go through the same session.
  assert.deepEqual(await client.listRestApis(), []);
  await assert.rejects(client.getExport('nosuchapi', 'prod'), (e: any) => e.status === 404 && e.type === 'NotFoundException');
  await assert.rejects(client.listFunctionUrls('nosuchfn'), (e: any) => e.status === 404 && e.type === 'ResourceNotFoundException');
  client.region = 'eu-west-1'; // the console's region header is not a signature, and needs none
  assert.deepEqual(await client.listFunctions(), []);

  await client.signOut();
  await assert.rejects(client.listFunctions(), (e: any) => e.status === 403);
  await assert.rejects(client.getExport('nosuchapi', 'prod'), (e: any) => e.status === 403);
});

test('a session cookie counts only with the console header, and only as issued', async () => {
  const signIn = await fetch(`${env.url}/_stagecraft/session`, { method: 'POST', headers: { 'x-stagecraft-console': '1' }, body: JSON.stringify(KEY) });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  const list = (headers: Record<string, string>) => fetch(`${env.url}/2015-03-31/functions/`, { headers });
  assert.equal((await list({ cookie, 'x-stagecraft-console': '1' })).status, 200);
  // Another site can make a browser send the cookie, not add this header.
  assert.equal((await list({ cookie })).status, 403);
  const [name, value] = cookie.split('=');
  const [id, expires, mac] = value.split('.');
  assert.equal((await list({ cookie: `${name}=${id}.${Number(expires) + 3600}.${mac}`, 'x-stagecraft-console': '1' })).status, 403);
  assert.equal((await list({ cookie: `${name}=${id}.${expires}.${'0'.repeat(64)}`, 'x-stagecraft-console': '1' })).status, 403);
  // Signing in is a POST with the console header: a plain cross-site form post is refused.
  assert.equal((await fetch(`${env.url}/_stagecraft/session`, { method: 'POST', body: JSON.stringify(KEY) })).status, 405);
});
