// Hostile input to the HTTP API control plane: an imported document with thousands of routes is
// written in linear time (each route's creation order used to rescan the API's routes), and the
// server keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetApisCommand, GetRoutesCommand, ImportApiCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

test('importing an API with 12000 routes takes moments, not minutes', async () => {
  const paths = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`/p${i}`, { get: { responses: { 200: { description: 'ok' } } } }]));
  const started = Date.now();
  const api = await env.apigwv2.send(new ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 'many', version: '1' }, paths }) }));
  // Quadratic, this took about 30 s here; linear, well under one.
  assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
  const first = await env.apigwv2.send(new GetRoutesCommand({ ApiId: api.ApiId, MaxResults: '2' }));
  assert.deepEqual(first.Items!.map((r) => r.RouteKey), ['GET /p0', 'GET /p1']);
  assert.ok((await env.apigwv2.send(new GetApisCommand({}))).Items!.some((a) => a.ApiId === api.ApiId));
});
