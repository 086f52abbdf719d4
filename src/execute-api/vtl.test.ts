import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeJavaScript, renderTemplate, urlDecode, urlEncode, type TemplateVariables } from './vtl.js';
import { evaluateJsonPath } from './jsonpath.js';

const vars = (over: Partial<TemplateVariables> = {}): TemplateVariables => ({
  body: '{"a": 1, "b": {"c": "x"}, "list": [{"id": 1}, {"id": 2}], "s": "he said \\"hi\\""}',
  params: { path: { id: '7' }, querystring: { q: 'search', param1: 'foobar' }, header: { 'X-Custom': 'hv' } },
  context: { requestId: 'rid-1', stage: 'dev', responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} } },
  stageVariables: { env: 'prod' },
  ...over,
});

test('$input.json, $input.path and $input.body', () => {
  assert.equal(renderTemplate(`$input.json('$')`, vars({ body: '{"a":1}' })), '{"a":1}');
  assert.equal(renderTemplate(`$input.json('$.b')`, vars()), '{"c":"x"}');
  assert.equal(renderTemplate(`$input.json('$.list[*].id')`, vars()), '[1,2]');
  assert.equal(renderTemplate(`$input.path('$.b.c')`, vars()), 'x');
  assert.equal(renderTemplate(`$input.path('$.list').size()`, vars()), '2');
  assert.equal(renderTemplate(`#set($b = $input.path('$.b'))$b.c`, vars()), 'x');
  assert.equal(renderTemplate(`{"body": $input.json('$.missing')}`, vars()), '{"body": }');
  assert.equal(renderTemplate(`$input.body`, vars({ body: 'raw text' })), 'raw text');
  assert.equal(renderTemplate(`$input.json('$')`, vars({ body: '' })), '{}');
});

test('$input.params: all, or one name searched in path, query string, then headers', () => {
  assert.equal(renderTemplate(`{"param1": "$input.params('param1')"}`, vars()), '{"param1": "foobar"}');
  assert.equal(renderTemplate(`$input.params('id') $input.params('x-custom') [$input.params('nope')]`, vars()), '7 hv []');
  assert.equal(renderTemplate(`$input.params().header.get('X-Custom')`, vars()), 'hv');
  assert.equal(
    renderTemplate(`#foreach($k in $input.params().querystring.keySet())$k=$util.urlEncode($input.params().querystring.get($k))#if($foreach.hasNext)&#end#end`, vars()),
    'q=search&param1=foobar',
  );
});

test('$context, $stageVariables and overrides set by the template', () => {
  const v = vars();
  assert.equal(renderTemplate(`$context.requestId/$context.stage/$stageVariables.env`, v), 'rid-1/dev/prod');
  renderTemplate(`#set($context.responseOverride.status = 444)#set($context.responseOverride.header.Foo = "bar")`, v);
  assert.deepEqual(v.context.responseOverride, { header: { Foo: 'bar' }, status: 444 });
});

test('$util helpers', () => {
  assert.equal(renderTemplate(`$util.escapeJavaScript($input.path('$.s'))`, vars()), 'he said \\"hi\\"');
  assert.equal(escapeJavaScript("it's / \\ \n é"), "it\\'s \\/ \\\\ \\n \\u00E9");
  assert.equal(renderTemplate(`#set($o = $util.parseJson('{"k":[1,2]}'))$o.k.size()`, vars()), '2');
  assert.equal(urlEncode('a b&c=d/é*'), 'a+b%26c%3Dd%2F%C3%A9*');
  assert.equal(urlDecode('a+b%26'), 'a b&');
  assert.equal(renderTemplate(`$util.base64Encode("hi")|$util.base64Decode("aGk=")`, vars()), 'aGk=|hi');
});

test('templates cannot climb to JavaScript internals; broken templates are configuration errors', () => {
  assert.equal(renderTemplate(`[$!input.json.constructor.name][$!util.constructor.name][$!input.__proto__]`, vars()), '[][][]');
  assert.throws(() => renderTemplate(`#if(`, vars()), (e: any) => e.status === 500 && /mapping template/.test(e.detail));
});

test('JSONPath subset', () => {
  const doc = { a: { b: [{ c: 1 }, { c: 2 }] }, 'x-y': 3 };
  assert.deepEqual(evaluateJsonPath(doc, '$'), doc);
  assert.equal(evaluateJsonPath(doc, '$.a.b[1].c'), 2);
  assert.equal(evaluateJsonPath(doc, "$['x-y']"), 3);
  assert.deepEqual(evaluateJsonPath(doc, '$.a.b[*].c'), [1, 2]);
  assert.deepEqual(evaluateJsonPath(doc, '$..c'), [1, 2]);
  assert.equal(evaluateJsonPath(doc, '$.a.b[-1].c'), 2);
  assert.equal(evaluateJsonPath(doc, '$.nope.deeper'), undefined);
  assert.equal(evaluateJsonPath(doc, 'a.b[0].c'), 1);
  assert.equal(evaluateJsonPath(doc, '$.__proto__'), undefined);
});

test('string methods taking a regex run it in linear time, with the same results', () => {
  const hostile = vars({ body: JSON.stringify({ a: `${'a'.repeat(40)}!` }) });
  const started = Date.now();
  assert.equal(renderTemplate(`#if($input.path('$.a').search("(a+)+$") < 0)no match#end`, hostile), 'no match');
  assert.equal(renderTemplate(`#if($input.path('$.a').match("^(a+)+$"))matched#{else}none#end`, hostile), 'none');
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  assert.equal(renderTemplate(`$input.path('$.a').search("a!")`, hostile), '39');
  assert.equal(renderTemplate(`$input.path('$.a').matchAll("a{16}").size()`, hostile), '2');
  assert.equal(renderTemplate(`$input.path('$.a').match("(a)\\1!")[0]`, hostile), 'aa!', 'a backreference still works');
  assert.throws(() => renderTemplate(`$input.path('$.a').match("(")`, hostile), /Internal server error/, 'an invalid regex is the template failing');
});
