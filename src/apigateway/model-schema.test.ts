// Model schemas as CreateModel and UpdateModel check them, GetModel's flattening and
// GetModelTemplate's sample template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelRecord } from '../store/apigateway-store.js';
import { checkModelSchema, flattenSchema, rebaseRefs } from './model-schema.js';
import { modelTemplate } from './model-template.js';

const uri = (name: string, api = 'api1') => `https://apigateway.amazonaws.com/restapis/${api}/models/${name}`;
const check = (schema: string | undefined, known: string[] = []) => () => checkModelSchema(schema, 'api1', 'Self', (n) => known.includes(n));
const rejects = (schema: string | undefined, message: string, known: string[] = []) =>
  assert.throws(check(schema, known), (e: Error & { code?: string }) => e.message === message);

test('a schema must be given, JSON, not {} and a valid draft-4 schema', () => {
  const empty = 'Model schema must have at least 1 property or array items defined';
  rejects(undefined, empty);
  rejects(' ', empty);
  rejects('{}', empty);
  rejects('{"type": ', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  rejects('[1]', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  rejects('{"type": "objekt"}', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  rejects('{"type": "object", "required": []}', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  // Only draft 4; pointers inside the document must resolve.
  rejects('{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  rejects('{"$schema": 5, "type": "object"}', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  rejects('{"type": "object", "properties": {"a": {"$ref": "#/definitions/missing"}}}', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  assert.doesNotThrow(check('{"title": "x", "type": "object"}'));
  assert.doesNotThrow(check('{"$schema": "http://json-schema.org/draft-04/schema#", "type": "array", "items": {"type": "string"}}'));
});

test('references name this API\'s models in canonical form; pointers inside the document are fine', () => {
  assert.doesNotThrow(check(JSON.stringify({ type: 'array', items: { $ref: uri('Pet') } }), ['Pet']));
  assert.doesNotThrow(check(JSON.stringify({ type: 'object', properties: { self: { $ref: uri('Self') } } })));
  assert.doesNotThrow(check(JSON.stringify({ definitions: { a: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/definitions/a' } } })));
  rejects(JSON.stringify({ type: 'array', items: { $ref: uri('Cat') } }), 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model specified: Cat]', ['Pet']);
  const canonical = 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified, Model reference must be in canonical form]';
  rejects(JSON.stringify({ type: 'array', items: { $ref: 'Pet' } }), canonical, ['Pet']);
  rejects(JSON.stringify({ type: 'array', items: { $ref: uri('Pet', 'otherapi') } }), canonical, ['Pet']);
});

test('flattening replaces references with the models\' schemas; a cycle stays a reference', () => {
  const model = (name: string, schema: object): ModelRecord => ({ id: name, name, contentType: 'application/json', schema: JSON.stringify(schema) });
  const pet = model('Pet', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { name: { type: 'string' }, friend: { $ref: uri('Pet') } } });
  const pets = model('Pets', { type: 'array', items: { $ref: uri('Pet') } });
  const models = new Map([['Pet', pet], ['Pets', pets]]);
  assert.deepEqual(JSON.parse(flattenSchema(pets, 'api1', models)), {
    type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, friend: { $ref: uri('Pet') } } },
  });
  assert.equal(flattenSchema(model('Bad', {}), 'api1', models), '{}');
});

test('references to another API\'s models are rebased onto this API for the data plane', () => {
  assert.deepEqual(rebaseRefs({ items: [{ $ref: uri('Pet', 'source') }, { $ref: `${uri('Pet', 'source')}#/properties/a` }, { $ref: '#/x' }] }, 'api1'),
    { items: [{ $ref: uri('Pet') }, { $ref: `${uri('Pet')}#/properties/a` }, { $ref: '#/x' }] });
});

test('GetModelTemplate\'s sample: strings quoted, numbers bare, objects nested, arrays looped', () => {
  assert.equal(modelTemplate('{"type":"object"}'), "#set($inputRoot = $input.path('$'))\n{ }");
  assert.equal(modelTemplate(JSON.stringify({ type: 'object', properties: { n: { type: 'number' }, s: { type: 'string' }, o: { type: 'object', properties: { b: { type: 'boolean' } } } } })),
    "#set($inputRoot = $input.path('$'))\n{\n  \"n\" : $inputRoot.n,\n  \"s\" : \"$inputRoot.s\",\n  \"o\" : {\n    \"b\" : $inputRoot.o.b\n  }\n}");
  assert.equal(modelTemplate(JSON.stringify({ type: 'array', items: { type: 'string' } })),
    "#set($inputRoot = $input.path('$'))\n[\n#foreach($elem in $inputRoot)\n  \"$elem\"#if($foreach.hasNext),#end\n#end\n]");
});
