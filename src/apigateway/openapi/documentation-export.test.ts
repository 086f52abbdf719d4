// Which part documents which exported entity: an entity's own part wins, else the most specific
// more general one for the types that inherit (path by prefix, method and status code exactly or
// "*"); only OpenAPI's attributes and x-* ones go into the entity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentationPartRecord } from '../../store/apigateway-documentation-store.js';
import type { JsonObject } from './document.js';
import { applyDocumentation } from './documentation-export.js';

let n = 0;
const part = (location: DocumentationPartRecord['location'], properties: object): DocumentationPartRecord =>
  ({ id: `p${++n}`, location, properties: JSON.stringify(properties) });

const swagger = (): JsonObject => ({
  swagger: '2.0',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': { get: { parameters: [{ name: 'page', in: 'query' }], responses: { 200: { description: '200 response' }, 400: { description: '400 response' } } } },
    '/pets/{id}': {
      get: { parameters: [{ name: 'id', in: 'path' }], responses: { 200: { description: '200 response', headers: { 'X-Total': { type: 'string' } } } } },
      post: { parameters: [{ name: 'Pet', in: 'body' }], responses: {} },
    },
  },
  definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
});

test('entities take their own part, or the most specific more general one', () => {
  const doc = swagger();
  applyDocumentation(doc, { version: 'v', createdDate: 0, parts: [
    part({ type: 'METHOD', path: '/', method: '*' }, { description: 'any method' }),
    part({ type: 'METHOD', path: '/pets', method: 'GET' }, { summary: 'list', foo: 'not OpenAPI' }),
    part({ type: 'RESPONSE', path: '/', method: '*', statusCode: '400' }, { description: 'Invalid request error.' }),
    part({ type: 'RESPONSE', path: '/pets/{id}', method: '*', statusCode: '*' }, { description: 'a pet' }),
    part({ type: 'QUERY_PARAMETER', path: '/', method: 'GET', name: 'page' }, { description: 'page number' }),
    part({ type: 'PATH_PARAMETER', path: '/pets/{id}', method: '*', name: 'id' }, { description: 'the id', 'x-example': 7 }),
    part({ type: 'REQUEST_BODY', path: '/pets', method: 'POST' }, { description: 'the new pet' }),
    part({ type: 'RESPONSE_HEADER', path: '/', method: '*', statusCode: '*', name: 'X-Total' }, { description: 'how many' }),
    part({ type: 'MODEL', name: 'Pet' }, { title: 'A pet', description: 'one pet' }),
    part({ type: 'MODEL', name: 'Pet.name' }, { description: 'its name' }),
    part({ type: 'RESOURCE', path: '/pets' }, { 'x-resource': true, description: 'not on a 2.0 path item' }),
    part({ type: 'API' }, { info: { description: 'The API', version: 'ignored', foo: 'no' }, 'x-api': 1, tags: [{ name: 'pets' }] }),
  ] });
  const paths = doc.paths as Record<string, Record<string, Record<string, any>>>;
  const list = paths['/pets'].get;
  assert.deepEqual([list.summary, list.description, list.foo], ['list', undefined, undefined]);
  assert.equal(list.parameters[0].description, 'page number');
  assert.equal(list.responses['200'].description, '200 response');
  assert.equal(list.responses['400'].description, 'Invalid request error.');
  const one = paths['/pets/{id}'].get;
  // GET /pets/{id} has no part: GET /pets covers it (path by prefix), before "/" for any method.
  assert.deepEqual([one.summary, one.description], ['list', undefined]);
  assert.equal(paths['/pets/{id}'].post.description, 'any method');
  assert.deepEqual([one.parameters[0].description, one.parameters[0]['x-example']], ['the id', 7]);
  assert.equal(one.responses['200'].description, 'a pet');
  assert.equal(one.responses['200'].headers['X-Total'].description, 'how many');
  // A request body part for POST /pets covers POST /pets/{id} (path by prefix).
  assert.equal(paths['/pets/{id}'].post.parameters[0].description, 'the new pet');
  assert.deepEqual([paths['/pets']['x-resource'], paths['/pets'].description], [true, undefined]);
  const pet = (doc.definitions as Record<string, any>).Pet;
  assert.deepEqual([pet.title, pet.description, pet.properties.name.description], ['A pet', 'one pet', 'its name']);
  assert.deepEqual(doc.info, { title: 'pets', version: '1', description: 'The API' });
  assert.deepEqual([doc['x-api'], doc.tags], [1, [{ name: 'pets' }]]);
  assert.equal((doc['x-amazon-apigateway-documentation'] as JsonObject).version, 'v');
});

test('a RESOURCE part documents only its own path, and a method part only a matching method', () => {
  const doc = { ...swagger(), openapi: '3.0.1' } as JsonObject;
  delete doc.swagger;
  applyDocumentation(doc, { version: 'v', createdDate: 0, parts: [
    part({ type: 'RESOURCE', path: '/pets' }, { summary: 'pets' }),
    part({ type: 'METHOD', path: '/pets', method: 'POST' }, { summary: 'create' }),
  ] });
  const paths = doc.paths as Record<string, Record<string, any>>;
  assert.equal(paths['/pets'].summary, 'pets');
  assert.equal(paths['/pets/{id}'].summary, undefined);
  assert.equal(paths['/pets'].get.summary, undefined);
  assert.equal(paths['/pets/{id}'].post.summary, 'create');
});
