// The deploy library without a server: YAML with CloudFormation tags, intrinsic functions,
// parameters, Globals, located errors, reproducible packages, alias history and URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Issues, formatIssue } from './issues.js';
import { parseTemplateText, toPlain } from './source.js';
import { parseTemplate } from './template.js';
import { resolveParameters, parseParameterOverrides } from './parameters.js';
import { StackModel, mergeNodes } from './stack-model.js';
import { validateStack } from './stack-validation.js';
import { evaluate } from './intrinsics.js';
import { packageCode } from './package.js';
import { functionSpec } from './function-spec.js';
import { formatState, parseHistory, parseState, type AliasState } from './aliases.js';
import { parseCanary } from './promotion.js';
import { executeApiSourceArn, invokeUrls } from './urls.js';
import { statementId } from './permissions.js';

function model(text: string, overrides: Record<string, string> = {}) {
  const issues = new Issues();
  const template = parseTemplate(text, 'template.yaml', issues)!;
  const parameters = resolveParameters(template, overrides, issues);
  const m = new StackModel(template, parameters, { stackName: 'demo', region: 'eu-west-1', accountId: '111122223333' }, undefined, issues);
  return { m, issues, template };
}

test('short-form tags become long-form intrinsics at their location', () => {
  const issues = new Issues();
  const root = parseTemplateText('A: !Ref Foo\nB: !GetAtt Fn.Arn\nC: !Sub\n  - "${X}"\n  - X: 1\n', 't.yaml', issues)!;
  assert.deepEqual(issues.list, []);
  assert.deepEqual(toPlain(root), { A: { Ref: 'Foo' }, B: { 'Fn::GetAtt': ['Fn', 'Arn'] }, C: { 'Fn::Sub': ['${X}', { X: 1 }] } });
  assert.equal(root.kind === 'map' && root.entries[2].value.kind === 'map' && root.entries[2].value.entries[0].value.path, 'C.Fn::Sub');
});

test('malformed YAML and unknown tags are located issues, not exceptions', () => {
  const issues = new Issues();
  assert.equal(parseTemplateText('a: [1, 2\nb: 3\n', 't.yaml', issues), undefined);
  assert.match(formatIssue(issues.errors[0]), /^t\.yaml:\d+:\d+: malformed YAML/);
  const tags = new Issues();
  parseTemplateText('a: !Nope x\n', 't.yaml', tags);
  assert.match(formatIssue(tags.errors[0]), /^t\.yaml:1:10 \(a\): unknown YAML tag !Nope/);
});

test('intrinsic functions evaluate against parameters, pseudo parameters and placeholders', () => {
  const { m, issues } = model(`Parameters:
  Env: { Type: String, Default: dev }
  Sizes: { Type: CommaDelimitedList, Default: "a,b" }
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  NotDev: !Not [!Condition IsDev]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
Outputs:
  O: { Value: x }
`);
  assert.deepEqual(issues.errors, []);
  const scope = m.scope(() => undefined);
  const ev = (yaml: string) => {
    const node = parseTemplateText(`v: ${yaml}`, 't', new Issues())!;
    return evaluate((node as any).entries[0].value, scope);
  };
  assert.equal(ev('!Sub "${Env}-${AWS::Region}-${AWS::AccountId}-${!Literal}"'), 'dev-eu-west-1-111122223333-${Literal}');
  assert.equal(ev('!If [IsDev, yes, no]'), 'yes');
  assert.equal(ev('!If [NotDev, yes, no]'), 'no');
  assert.equal(ev('!Join [":", !Ref Sizes]'), 'a:b');
  assert.equal(ev('!Select [1, !Split ["/", "x/y/z"]]'), 'y');
  assert.equal(ev('!Ref Fn'), '<Fn>', 'resource attributes are placeholders until deployed');
  assert.equal(ev('!GetAtt Fn.Arn'), '<Fn.Arn>');
  assert.equal(ev('!Base64 hi'), 'aGk=');
  assert.throws(() => ev('!Ref Evn'), /Ref names 'Evn', which is neither a parameter nor a resource \(did you mean 'Env'\?\)/);
});

test('Globals merge: maps by key, lists concatenated, scalars from the resource', () => {
  const issues = new Issues();
  const g = parseTemplateText('Timeout: 3\nEnvironment: { Variables: { A: "1", B: "1" } }\nArchitectures: [x86_64]\n', 'g', issues)!;
  const r = parseTemplateText('Timeout: 9\nEnvironment: { Variables: { B: "2" } }\nArchitectures: [arm64]\n', 'r', issues)!;
  assert.deepEqual(toPlain(mergeNodes(g, r)), { Timeout: 9, Environment: { Variables: { A: '1', B: '2' } }, Architectures: ['x86_64', 'arm64'] });
});

test('parameter overrides: Key=Value words, several per argument, values with spaces, CLI style', () => {
  assert.deepEqual(parseParameterOverrides(['A=1 B=two words', 'C="quoted value"', 'ParameterKey=D,ParameterValue=x=y']), { A: '1', B: 'two words', C: 'quoted value', D: 'x=y' });
  assert.throws(() => parseParameterOverrides(['novalue']), /is not Key=Value/);
});

test('checks collect every problem with its location', () => {
  const { m, issues } = model(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      MemorySize: 64
      Timout: 3
`);
  validateStack(m);
  const messages = issues.errors.map(formatIssue);
  assert.ok(messages.some((e) => /^template\.yaml:9:7 \(Resources\.Fn\.Properties\.Timout\): unknown AWS::Serverless::Function property 'Timout' \(did you mean 'Timeout'\?\)$/.test(e)), messages.join('\n'));
  assert.ok(messages.some((e) => /^template\.yaml:8:19 \(Resources\.Fn\.Properties\.MemorySize\): MemorySize must be a whole number of MB from 128 to 10240, got 64$/.test(e)), messages.join('\n'));
});

test('code packages are reproducible: same files, same zip, same SHA-256', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-pkg-'));
  try {
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 1;');
    writeFileSync(join(dir, 'lib', 'util.mjs'), 'export const x = 1;');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref');
    const source = { kind: 'directory' as const, path: dir, display: 'src', loc: { file: 't', line: 1, column: 1 }, templatePath: 'x', key: 'CodeUri' };
    const a = await packageCode(source);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 1;');
    const b = await packageCode(source);
    assert.equal(a.sha256, b.sha256);
    assert.equal(a.files, 2, '.git is left out');
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 2;');
    assert.notEqual((await packageCode(source)).sha256, a.sha256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('alias history round-trips through its tag format', () => {
  const states: AliasState[] = [{ version: '1', weights: {} }, { version: '1', weights: { '2': 0.1 } }];
  assert.equal(states.map(formatState).join(' '), '1 1+2@0.1');
  assert.deepEqual(parseHistory('1 1+2@0.1 junk'), states);
  assert.equal(parseState('x'), undefined);
  assert.equal(parseCanary('10%'), 0.1);
  assert.equal(parseCanary('0.25'), 0.25);
  assert.equal(parseCanary('5'), 0.05);
  assert.throws(() => parseCanary('0%'), /not a share of traffic/);
});

test('invoke URLs, source ARNs and statement IDs', () => {
  assert.deepEqual(invokeUrls('http://127.0.0.1:4566', 'abc', 'prod', '/hello'), {
    hostStyle: 'http://abc.execute-api.localhost:4566/prod/hello',
    pathStyle: 'http://127.0.0.1:4566/restapis/abc/prod/_user_request_/hello',
  });
  assert.equal(invokeUrls('https://sc.example.com', 'abc', 'dev').hostStyle, 'https://abc.execute-api.sc.example.com/dev/');
  assert.equal(executeApiSourceArn('us-east-1', '000000000000', 'abc', 'ANY', '/items/{id}'), 'arn:aws:execute-api:us-east-1:000000000000:abc/*/*/items/*');
  assert.equal(statementId('abc', 'GET', '/hello'), statementId('abc', 'GET', '/hello'));
  assert.notEqual(statementId('abc', 'GET', '/a-b'), statementId('abc', 'GET', '/a/b'));
  assert.match(statementId('abc', 'GET', '/hello'), /^[a-zA-Z0-9-_.]{1,100}$/);
});

test("InlineCode becomes the handler's file: module.js, module.py, and for Ruby the file before the first dot", () => {
  const { m, issues } = model(`Resources:
  Js: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: app.handler, InlineCode: x } }
  Py: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.12, Handler: pkg.mod.handler, InlineCode: x } }
  Rb: { Type: AWS::Serverless::Function, Properties: { Runtime: ruby3.3, Handler: app.App::Handler.run, InlineCode: x } }
`);
  assert.deepEqual(issues.errors, []);
  const scope = m.scope(() => undefined);
  const fileName = (id: string) => {
    const code = functionSpec(m, m.byId.get(id)!, scope).code;
    return code.kind === 'inline' ? code.fileName : undefined;
  };
  assert.deepEqual(['Js', 'Py', 'Rb'].map(fileName), ['app.js', 'pkg.mod.py', 'app.rb']);
});
