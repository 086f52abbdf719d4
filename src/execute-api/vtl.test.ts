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

const java = (template: string, body: unknown = { name: ' Jane  Q Doe ', tags: ['a', 'b'], n: 3 }) =>
  renderTemplate(template, vars({ body: JSON.stringify(body) }));

test('Java String methods on strings the template reads', () => {
  const s = `#set($s = $input.path('$.name'))`;
  assert.equal(java(`${s}#set($e = "")$s.length()|$s.isEmpty()|$e.isEmpty()|$s.trim()|$s.toUpperCase()|$s.toLowerCase()`), '13|false|true|Jane  Q Doe| JANE  Q DOE | jane  q doe ');
  assert.equal(java(`$input.path('$.name').length()`), '13');
  assert.equal(java(`${s}$s.equals(" Jane  Q Doe ")|$s.equals("x")|$s.equals(13)|$s.equalsIgnoreCase(" JANE  q doe ")|$s.equalsIgnoreCase("jane")`), 'true|false|false|true|false');
  assert.equal(java(`${s}$s.contains("Q D")|$s.contains("q")|$s.startsWith(" J")|$s.endsWith("e ")`), 'true|false|true|true');
  assert.equal(java(`${s}$s.substring(1)|$s.substring(1, 5)|$s.charAt(1)|$s.indexOf("e")|$s.indexOf("e", 5)|$s.lastIndexOf("e")|$s.lastIndexOf("e", 5)|$s.indexOf(74)`), 'Jane  Q Doe |Jane|J|4|11|11|4|1');
  assert.equal(java(`#set($a = "a")#set($b = "b")#set($e = "")$b.compareTo($a)|$a.compareTo("ab")|$a.compareToIgnoreCase("A")|$a.concat("y")|$input.path('$.h').hashCode()|$e.hashCode()`, { h: 'hello' }), '1|-1|0|ay|99162322|0');
  assert.equal(java(`$input.path('$.t').trim()|`, { t: '\t x \u0001' }), 'x|', 'trim removes every character up to U+0020, as Java');
  assert.throws(() => java(`$input.path('$.name').substring(2, 50)`), /Internal server error/, 'out of range is an exception in Java');
  assert.throws(() => java(`$input.path('$.name').charAt(13)`), /Internal server error/);
});

test('replaceAll, replaceFirst, matches and split take Java regexes; replace is literal', () => {
  const on = (value: string, call: string) => java(`#set($v = $input.path('$.v'))${call}`, { v: value });
  const s = `#set($s = $input.path('$.name'))`;
  assert.equal(java(`${s}$s.trim().replaceAll("\\s+", "-")`), 'Jane-Q-Doe');
  assert.equal(java(`${s}$s.replaceFirst("\\s+", "")`), 'Jane  Q Doe ');
  assert.equal(on('2024-01-31', `$v.replaceAll("(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1")`), '31/01/2024');
  assert.equal(on('a.b.c', `$v.replaceAll(".", "x")|$v.replace(".", "x")|$v.replace(".", "$1")`), 'xxxxx|axbxc|a$1b$1c');
  assert.equal(on('cost', `$v.replaceAll("o", '\\$')|$v.replaceAll("(?<l>o)", "[\${l}]")|$v.replaceAll("", "-")|$v.replaceAll("o*", "-")`), 'c$st|c[o]st|-c-o-s-t-|-c--s-t-');
  assert.equal(on('AB1.', `$v.replaceAll("(?i)b", "x")|$v.replaceAll("\\p{Alpha}", "L")|$v.replaceAll("\\Q.\\E", "!")|$v.replaceAll("[A-Z]++", "w")`), 'Ax1.|LL1.|AB1!|w1.');
  assert.throws(() => on('ab', `$v.replaceAll("a", "$2")`), /Internal server error/, 'a missing group is an exception in Java');
  assert.equal(on('abc', `$v.matches("b")|$v.matches("a.c")|$v.matches("a|abc")|$v.matches("(?s)a.*")`), 'false|true|true|true');
  assert.equal(on('a,b,,c,,', `#foreach($p in $v.split(","))[$p]#end $v.split(",").size() $v.split(",", -1).size() $v.split(",", 2)`), '[a][b][][c] 4 6 [a, b,,c,,]');
  assert.equal(on(',a1b', `$v.split(",").size() $v.split("\\d") $v.split("")`), '2 [,a, b] [,, a, 1, b]');
  assert.equal(on('a(b)c', `$v.split("[()]")`), '[a, b, c]', 'split ignores capture groups, unlike JavaScript');
  const started = Date.now();
  assert.equal(on(`${'a'.repeat(40)}!`, `$v.matches("(a+)+")`), 'false');
  assert.equal(on('a'.repeat(5000), `$v.replaceAll("(a|a)*b", "x").length()`), '5000');
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
});

test('Java Map and List methods', () => {
  const m = `#set($m = $input.path('$'))`;
  assert.equal(java(`${m}$m.size()|$m.isEmpty()|$m.get("n")|$m.containsKey("tags")|$m.containsKey("x")|$m.containsValue(3)|$m.keySet()|$m.values().size()`), '3|false|3|true|false|true|[name, tags, n]|3');
  assert.equal(java(`${m}[$!m.get("N")]|#foreach($e in $m.entrySet())$e.key:$e.getKey()=#if($e.value.size())$e.value.size()#{else}$e.value#end;#end`), '[]|name:name= Jane  Q Doe ;tags:tags=2;n:n=3;');
  assert.equal(java(`${m}#set($old = $m.put("n", 4))$old $m.n $!m.put("new", "v") $m.remove("n") $m.containsKey("n") $m.keySet()`), '3 4  4 false [name, tags, new]');
  const l = `#set($l = $input.path('$.tags'))`;
  assert.equal(java(`${l}$l.size()|$l.isEmpty()|$l.get(1)|$l.contains("a")|$l.contains("z")|$l.indexOf("b")|$l.add("c")|$l.size()`), '2|false|b|true|false|1|true|3');
  assert.equal(java(`${l}$l.remove("a")|$l.remove(0)|$l.isEmpty()|$input.path('$.none').isEmpty()`), 'true|b|true|true');
  assert.equal(java(`#set($l = [])#set($d = $l.add(1))$l.add(0, "z")$l $l.set(1, 2) $l`), '[z, 1] 1 [z, 2]');
  assert.throws(() => java(`#set($l = [1])$l.get(1)`), /Internal server error/);
  assert.equal(java(`#set($n = $input.path('$.n'))$n.equals(3)|$n.equals("3")|$n.compareTo(5)|$n.toString().length()`), 'true|false|-1|1');
});

test('maps render as Java maps; JSON lists as JSON, as AWS prints them', () => {
  const body = { foo: 'bar', list: [{ foo: 'bar' }], nested: { a: [1, 'x'], b: { c: null } } };
  assert.equal(java(`$input.path('$.list')`, body), '[{"foo":"bar"}]');
  assert.equal(java(`$input.path('$.list[0]')`, body), '{foo=bar}');
  assert.equal(java(`$input.path('$')`, body), '{foo=bar, list=[{"foo":"bar"}], nested={a=[1,"x"], b={c=null}}}');
  assert.equal(java(`#set($o = $input.path('$'))#set($s = "$o.list")$o.nested $s`, body), '{a=[1,"x"], b={c=null}} [{"foo":"bar"}]');
  assert.equal(java(`#set($l = [1, "a", {"k": [2]}])$l #set($m = {"x": $l})$m`, body), '[1, a, {k=[2]}] {x=[1, a, {k=[2]}]}');
  assert.equal(java(`$input.params()`), '{path={id=7}, querystring={q=search, param1=foobar}, header={X-Custom=hv}}');
  assert.equal(java(`$util.base64Decode($util.base64Encode($input.path('$.nested')))`, body), '{a=[1,"x"], b={c=null}}');
  assert.equal(java(`#set($m = {})#set($d = $m.put("me", $m))$m`), '{me=(this Map)}');
});
