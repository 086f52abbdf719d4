import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCapabilities, checkCodeLocations, iamCapability, parseDocument, resourceChanges } from './template-document.js';

const sam = (resources: string, globals = '') => parseDocument(`Transform: AWS::Serverless-2016-10-31\n${globals}Resources:\n${resources}`);
const fn = (id: string, extra = '') => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n${extra}`;

test('IAM capability: SAM functions without Role, IAM resources, named ones', () => {
  assert.equal(iamCapability(sam(fn('A', '      InlineCode: x\n')))?.capability, 'CAPABILITY_IAM');
  assert.equal(iamCapability(sam(fn('A', '      InlineCode: x\n      Role: arn:aws:iam::123456789012:role/r\n'))), undefined);
  assert.equal(iamCapability(sam(fn('A', '      InlineCode: x\n'), 'Globals:\n  Function:\n    Role: arn:aws:iam::123456789012:role/r\n')), undefined);
  assert.equal(iamCapability(parseDocument('Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: named\n'))?.capability, 'CAPABILITY_NAMED_IAM');
  const doc = sam(fn('A', '      InlineCode: x\n'));
  assert.throws(() => checkCapabilities(doc, [], true), { name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]' });
  assert.doesNotThrow(() => checkCapabilities(doc, ['CAPABILITY_NAMED_IAM'], true));
  assert.throws(() => checkCapabilities(doc, ['CAPABILITY_IAM'], false), { message: 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]' });
});

test('code locations: local CodeUri refused as SAM refuses it; S3 and inline pass', () => {
  assert.throws(() => checkCodeLocations(sam(fn('A', '      CodeUri: ./src\n') + fn('B', '      CodeUri: s3://bucket/key.zip\n') + fn('C', '      InlineCode: x\n'))), {
    name: 'ValidationError',
    message: "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [A] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.",
  });
  assert.throws(() => checkCodeLocations(sam(fn('A'), 'Globals:\n  Function:\n    CodeUri: src/\n')), /Resource with id \[A\] is invalid/);
});

test('template format errors and resource changes', () => {
  assert.throws(() => parseDocument('Description: x\n'), { message: 'Template format error: At least one Resources member must be defined.' });
  assert.throws(() => parseDocument('Resources:\n  A:\n    Properties: {}\n'), { message: 'Template format error: [/Resources/A] Every Resources object must contain a Type member.' });
  const before = sam(fn('A', '      InlineCode: x\n') + fn('B', '      InlineCode: x\n'));
  const after = sam(fn('A', '      InlineCode: y\n') + fn('C', '      InlineCode: x\n'));
  assert.deepEqual(resourceChanges(before, after).map((c) => [c.ResourceChange.Action, c.ResourceChange.LogicalResourceId]), [['Modify', 'A'], ['Add', 'C'], ['Remove', 'B']]);
  assert.deepEqual(resourceChanges(undefined, before).map((c) => c.ResourceChange.Action), ['Add', 'Add']);
});
