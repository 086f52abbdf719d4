// SAM layers as deploy reads them, without a server: a LayerVersion's name (the logical ID unless
// LayerName says otherwise) and settings, RetentionPolicy, a function's Layers with Globals first,
// the deploy order, and located errors for what Lambda or SAM would refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeFiles } from '../cli/testing.js';
import { loadStack } from './deploy.js';
import { Issues, formatIssue } from './issues.js';
import type { GetLayerVersionCommandOutput } from '@aws-sdk/client-lambda';
import { functionLayers } from './layer-spec.js';
import { layerVersionDiff } from './layers.js';
import { validateStack } from './stack-validation.js';
import { parseTemplate } from './template.js';
import { stackModelOf } from './testing.js';

const ARN = (name: string, version: number) => `arn:aws:lambda:eu-west-1:111122223333:layer:${name}:${version}`;

/** A stack with `resources` (YAML under Resources) and optional Globals.Function lines. */
function stack(resources: string, globalsFunction = '') {
  const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
${globalsFunction}Resources:
${resources}`;
  const { issues, model } = stackModelOf(text);
  const specs = validateStack(model);
  return { ...specs, model, issues, errors: issues.errors.map(formatIssue), warnings: issues.warnings.map(formatIssue) };
}

const FN = (layers: string) => `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Layers: ${layers}
`;
const LAYER = (id: string, props = '') => `  ${id}:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: .
${props}`;

test('a LayerVersion is named after its logical ID unless LayerName says otherwise, and keeps its settings', () => {
  const { layers, errors, warnings } = stack(LAYER('Greet') + LAYER('Named', `      LayerName: shared-libs
      CompatibleRuntimes: [nodejs20.x, python3.12]
      CompatibleArchitectures: [arm64]
      Description: shared
      LicenseInfo: MIT
      RetentionPolicy: retain
      PublishLambdaVersion: true
`));
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.equal(layers[0].name, 'Greet');
  assert.equal(layers[0].retentionPolicy, 'Retain', "SAM's default");
  assert.equal(layers[0].code.kind, 'directory');
  const named = layers[1];
  assert.equal(named.name, 'shared-libs');
  assert.deepEqual(named.compatibleRuntimes, ['nodejs20.x', 'python3.12']);
  assert.deepEqual(named.compatibleArchitectures, ['arm64']);
  assert.equal(named.description, 'shared');
  assert.equal(named.licenseInfo, 'MIT');
  assert.equal(named.retentionPolicy, 'Retain', 'compared without regard to case, as SAM does');
});

test('Globals.LayerVersion takes PublishLambdaVersion, and nothing else, as SAM\'s does', () => {
  const text = (globals: string) => `Transform: AWS::Serverless-2016-10-31
Globals:
  LayerVersion:
${globals}Resources:
${LAYER('Greet')}`;
  const { issues, model } = stackModelOf(text('    PublishLambdaVersion: true\n'));
  assert.equal(model.byId.get('Greet')!.properties.entries.map((e) => e.key).join(), 'PublishLambdaVersion,ContentUri');
  validateStack(model);
  assert.deepEqual(issues.list, []);
  const refused = new Issues();
  parseTemplate(text('    LayerName: x\n'), 'template.yaml', refused);
  assert.match(formatIssue(refused.errors[0]), /^template\.yaml:4:5 \(Globals\.LayerVersion\.LayerName\): LayerName can't be set in Globals\.LayerVersion/);
});

test('RetentionPolicy Delete is accepted with a warning saying old versions stay', () => {
  const { layers, warnings } = stack(LAYER('Greet', '      RetentionPolicy: Delete\n'));
  assert.equal(layers[0].retentionPolicy, 'Delete');
  assert.match(warnings[0], /^template\.yaml:7:3 \(Resources\.Greet\.Properties\.RetentionPolicy\): RetentionPolicy Delete has no effect: .*never deletes layer versions/);
});

test("a function's Layers come after Globals.Function.Layers; !Ref of a layer is its version ARN and orders the layer first", () => {
  const { functions, model, errors } = stack(FN('[!Ref Greet]') + LAYER('Greet'), `    Layers: [${ARN('base', 3)}]\n`);
  assert.deepEqual(errors, []);
  assert.deepEqual(functions[0].layers, [ARN('base', 3), '<Greet>'], 'a placeholder until the layer is published');
  assert.deepEqual(model.order.map((r) => r.def.logicalId), ['Greet', 'Fn']);
  const scope = model.scope((id, attribute) => (id === 'Greet' && attribute === 'Ref' ? ARN('Greet', 2) : undefined));
  // As the deploy reads it once the layer is published.
  assert.deepEqual(functionLayers(model, model.byId.get('Fn')!, scope), [ARN('base', 3), ARN('Greet', 2)]);
});

test('Layers mistakes are located errors', () => {
  const cases: [string, string, RegExp][] = [
    [FN('[!Ref Other]') + `  Other:\n    Type: AWS::Serverless::Function\n    Properties: { InlineCode: x }\n`, '', /^template\.yaml:11:21 \(Resources\.Fn\.Properties\.Layers\[0\]\): Layers lists layer version ARNs, but Other is an AWS::Serverless::Function/],
    [FN('[!GetAtt Other.Arn]') + `  Other:\n    Type: AWS::Serverless::Function\n    Properties: { InlineCode: x }\n`, '', /\(Resources\.Fn\.Properties\.Layers\[0\]\): Layers lists layer version ARNs, but Other is an AWS::Serverless::Function/],
    [FN('[my-layer]'), '', /\(Resources\.Fn\.Properties\.Layers\[0\]\): 'my-layer' is not a layer version ARN/],
    [FN(`[${ARN('a', 1)}]`), '', /^$/],
    [FN(`[${ARN('a', 1)}, ${ARN('a', 2)}]`), '', /\(Resources\.Fn\.Properties\.Layers\[1\]\): Layers lists layer arn:aws:lambda:eu-west-1:111122223333:layer:a twice \(items 1 and 2\)/],
    [FN('[!Ref Greet]') + LAYER('Greet'), '    Layers: [!Ref Greet]\n', /Layers lists <Greet> twice/],
    [FN(`[${[2, 3, 4].map((v) => ARN(`l${v}`, 1)).join(', ')}]`), `    Layers: [${ARN('g1', 1)}, ${ARN('g2', 1)}, ${ARN('g3', 1)}]\n`, /\(Resources\.Fn\.Properties\.Layers\): a function uses at most 5 layers; Fn lists 6 \(Globals\.Function\.Layers and its own, concatenated\)/],
    [FN('{ a: 1 }'), '', /Layers is a list of layer version ARNs/],
    [FN('[!GetAtt Greet.Arn]') + LAYER('Greet'), '', /Greet \(AWS::Serverless::LayerVersion\) has no attribute 'Arn'; use !Ref for its layer version ARN/],
  ];
  for (const [resources, globals, expected] of cases) {
    const { errors } = stack(resources, globals);
    assert.match(errors.join('\n'), expected, resources);
  }
});

test('LayerVersion mistakes are located errors', () => {
  const cases: [string, RegExp][] = [
    [`  Greet:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { Description: x }\n`, /^template\.yaml:7:3 \(Resources\.Greet\.Properties\.ContentUri\): Greet needs ContentUri/],
    [`  Greet:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { ContentUri: s3://bucket }\n`, /\(Resources\.Greet\.Properties\.ContentUri\): ContentUri s3:\/\/bucket names no object: write s3:\/\/bucket\/key/],
    [`  Greet:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { ContentUri: { Bucket: b } }\n`, /ContentUri is a local directory or \.zip file, s3:\/\/bucket\/key, or \{Bucket, Key, Version\} of an S3 object/],
    [LAYER('Greet', '      LayerName: bad name\n'), /\(Resources\.Greet\.Properties\.LayerName\): layer name 'bad name' must be 1 to 140 letters/],
    [LAYER('Greet', '      CompatibleRuntimes: [nodejs20]\n'), /'nodejs20' is not one of the Lambda runtimes \(did you mean 'nodejs20\.x'\?\)/],
    [LAYER('Greet', '      CompatibleArchitectures: [x86]\n'), /'x86' is not one of the architectures/],
    [LAYER('Greet', '      PublishLambdaVersion: yes please\n'), /PublishLambdaVersion is true or false/],
    [LAYER('Greet', '      LayerNmae: x\n'), /unknown AWS::Serverless::LayerVersion property 'LayerNmae' \(did you mean 'LayerName'\?\)/],
    [LAYER('A', '      LayerName: same\n') + LAYER('B', '      LayerName: same\n'), /\(Resources\.B\): B and A both publish versions of layer same/],
  ];
  for (const [resources, expected] of cases) {
    assert.match(stack(resources).errors.join('\n'), expected, resources);
  }
});

test('a layer version differs from the spec by content or settings; the order of CompatibleRuntimes does not count', () => {
  const { layers } = stack(LAYER('Greet', '      CompatibleRuntimes: [nodejs20.x, python3.12]\n      Description: d\n'));
  const pkg = { zip: Buffer.from('x'), sha256: Buffer.from('a'.repeat(32)).toString('base64'), files: 1, unzippedBytes: 1 };
  const published = { Content: { CodeSha256: pkg.sha256 }, Description: 'd', CompatibleRuntimes: ['python3.12', 'nodejs20.x'] } as GetLayerVersionCommandOutput;
  assert.deepEqual(layerVersionDiff(published, layers[0], pkg), []);
  assert.deepEqual(layerVersionDiff({ ...published, Description: 'old', CompatibleArchitectures: ['arm64'] } as GetLayerVersionCommandOutput, layers[0], pkg), [
    'Description "old" → "d"', 'CompatibleArchitectures ["arm64"] → []',
  ]);
  assert.match(layerVersionDiff({ ...published, Content: { CodeSha256: 'other' } } as GetLayerVersionCommandOutput, layers[0], pkg).join(), /^content \(sha256 .* → 616161616161, from \.\)$/);
});

test('a layer directory without nodejs/, python/ or the like at its top is packaged with a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-layer-'));
  try {
    writeFiles(dir, { 'flat/greet.js': 'x', 'good/nodejs/node_modules/greet/index.js': 'x', 'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
${LAYER('Flat').replace('ContentUri: .', 'ContentUri: flat')}${LAYER('Good').replace('ContentUri: .', 'ContentUri: good')}` });
    const stack = await loadStack({ templateFile: join(dir, 'template.yaml') }, 'eu-west-1');
    assert.equal(stack.packages.get('Good')?.files, 1);
    assert.deepEqual(stack.issues.warnings.map((w) => `${w.path}: ${w.message}`), [
      `Resources.Flat.Properties.ContentUri: ${relative(process.cwd(), join(dir, 'flat'))} has none of nodejs/, python/, java/, ruby/, bin/, lib/, extensions/ at its top: Lambda extracts a layer into /opt, and runtimes look for modules in /opt/nodejs/node_modules, /opt/python and the like`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
