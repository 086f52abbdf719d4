// A function URL's CORS settings: preflight answers and headers added to answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';

test('preflights are OPTIONS requests with Origin and Access-Control-Request-Method', () => {
  assert.ok(isPreflight('OPTIONS', { origin: 'https://a', 'access-control-request-method': 'GET' }));
  assert.ok(!isPreflight('OPTIONS', { origin: 'https://a' }));
  assert.ok(!isPreflight('GET', { origin: 'https://a', 'access-control-request-method': 'GET' }));
});

test('preflight headers for allowed origins and methods only; * answers * unless credentials are allowed', () => {
  const cors = { AllowOrigins: ['https://a.example'], AllowMethods: ['GET'], AllowHeaders: ['x-h'], MaxAge: 5 };
  assert.deepEqual(preflightHeaders(cors, 'https://A.example', 'GET'), {
    'access-control-allow-origin': 'https://A.example', 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'x-h', 'access-control-max-age': '5', vary: 'Origin',
  });
  assert.deepEqual(preflightHeaders(cors, 'https://b.example', 'GET'), {});
  assert.deepEqual(preflightHeaders(cors, 'https://a.example', 'POST'), {});
  assert.equal(preflightHeaders({ AllowOrigins: ['*'], AllowMethods: ['*'] }, 'https://x', 'DELETE')['access-control-allow-origin'], '*');
  assert.equal(preflightHeaders({ AllowOrigins: ['*'], AllowMethods: ['*'], AllowCredentials: true }, 'https://x', 'DELETE')['access-control-allow-origin'], 'https://x');
});

test("answers to allowed origins carry the URL's CORS headers in place of the function's", () => {
  const headers: Record<string, string> = { 'access-control-allow-origin': 'https://evil', 'access-control-max-age': '1', 'content-type': 'text/plain' };
  applyCors({ AllowOrigins: ['https://a'], ExposeHeaders: ['x-out'], AllowCredentials: true }, 'https://a', headers);
  assert.deepEqual(headers, {
    'content-type': 'text/plain', 'access-control-allow-origin': 'https://a', 'access-control-expose-headers': 'x-out', 'access-control-allow-credentials': 'true', vary: 'Origin',
  });
  const untouched: Record<string, string> = { 'access-control-allow-origin': 'https://fn' };
  applyCors({ AllowOrigins: ['https://a'] }, 'https://other', untouched);
  assert.deepEqual(untouched, { 'access-control-allow-origin': 'https://fn' }, 'other origins get the answer as the function gave it');
});
