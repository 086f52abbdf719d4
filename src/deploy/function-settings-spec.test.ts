// A function's further settings as deploy reads them, without a server: AWS's defaults when the
// template says nothing, the values Lambda takes, warnings for what has no effect here (once per
// message), located errors for what Lambda or SAM would refuse, and the comparison with a deployed
// configuration that decides whether the function is updated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { configurationDiff } from './functions.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';

function stack(settings: string, globals = '', runtime = 'nodejs20.x') {
  const fn = (id: string) => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${id.toLowerCase()}
      InlineCode: x
      Handler: index.handler
      Runtime: ${runtime}
${settings}`;
  const { issues, model } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
${globals ? `Globals:\n  Function:\n${globals}` : ''}Resources:
${fn('One')}${fn('Two')}`);
  const { functions } = validateStack(model);
  return { functions, errors: issues.errors.map(formatIssue), warnings: issues.warnings.map(formatIssue) };
}

test("without settings, a function gets AWS's defaults", () => {
  const { functions, errors, warnings } = stack('');
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.deepEqual(functions[0].settings, {
    ephemeralStorage: 512, logging: { LogFormat: 'Text', LogGroup: '/aws/lambda/one' }, kmsKeyArn: undefined, vpcConfig: undefined,
    deadLetterTarget: undefined, codeSigningConfigArn: undefined, recursiveLoop: 'Terminate', runtimeManagement: { UpdateRuntimeOn: 'Auto' },
    snapStart: 'None', autoPublishCodeSha256: undefined, versionDeletion: 'Retain',
  });
});

test('settings are read as Lambda keeps them; VpcConfig warns once, DeadLetterQueue not at all (dead letters are delivered)', () => {
  const { functions, errors, warnings } = stack(`      EphemeralStorage: { Size: '2048' }
      LoggingConfig: { LogFormat: JSON, SystemLogLevel: WARN, LogGroup: /custom/group }
      KmsKeyArn: arn:aws:kms:eu-west-1:111122223333:key/abc
      DeadLetterQueue: { Type: SNS, TargetArn: 'arn:aws:sns:eu-west-1:111122223333:dead' }
      CodeSigningConfigArn: arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-0123456789abcdef0
      RecursiveLoop: Allow
      RuntimeManagementConfig:
        UpdateRuntimeOn: Manual
        RuntimeVersionArn: arn:aws:lambda:eu-west-1::runtime:${'a'.repeat(64)}
`, '    VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }\n');
  assert.deepEqual(errors, []);
  const s = functions[1].settings;
  assert.equal(s.ephemeralStorage, 2048);
  assert.deepEqual(s.logging, { LogFormat: 'JSON', LogGroup: '/custom/group', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
  assert.equal(s.deadLetterTarget, 'arn:aws:sns:eu-west-1:111122223333:dead');
  assert.equal(s.recursiveLoop, 'Allow');
  assert.deepEqual(s.runtimeManagement, { UpdateRuntimeOn: 'Manual', RuntimeVersionArn: `arn:aws:lambda:eu-west-1::runtime:${'a'.repeat(64)}` });
  assert.deepEqual(s.vpcConfig, { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] }, 'from Globals.Function');
  assert.equal(warnings.filter((w) => w.includes('VpcConfig has no effect')).length, 1, warnings.join('\n'));
  assert.equal(warnings.filter((w) => w.includes('DeadLetterQueue')).length, 0, warnings.join('\n'));
});

const refused: [string, RegExp][] = [
  ['      EphemeralStorage: { Size: 20000 }\n', /8:\d+ .*EphemeralStorage\.Size must be a whole number of MB from 512 to 10240, got 20000/],
  ['      EphemeralStorage: { Megabytes: 1024 }\n', /unknown EphemeralStorage property 'Megabytes'; EphemeralStorage has Size/],
  ['      LoggingConfig: { LogFormat: XML }\n', /LoggingConfig\.LogFormat is one of Text, JSON, got "XML"/],
  ['      LoggingConfig: { ApplicationLogLevel: WARN }\n', /ApplicationLogLevel and SystemLogLevel need LogFormat JSON/],
  ['      LoggingConfig: { LogFormat: JSON, SystemLogLevel: ERROR }\n', /SystemLogLevel is one of DEBUG, INFO, WARN, got "ERROR"/],
  ['      KmsKeyArn: my-key\n', /KmsKeyArn must be a KMS key ARN/],
  ['      DeadLetterQueue: { Type: SQS, TargetArn: "arn:aws:sns:eu-west-1:111122223333:t" }\n', /DeadLetterQueue\.TargetArn must be an SQS ARN/],
  ['      DeadLetterQueue: { Type: Kinesis, TargetArn: x }\n', /DeadLetterQueue\.Type is one of SQS, SNS, got "Kinesis"/],
  ['      CodeSigningConfigArn: csc-1\n', /CodeSigningConfigArn must be a code signing config ARN/],
  ['      RecursiveLoop: Stop\n', /RecursiveLoop is one of Allow, Terminate, got "Stop"/],
  ['      RuntimeManagementConfig: { UpdateRuntimeOn: Manual }\n', /UpdateRuntimeOn Manual needs a RuntimeVersionArn/],
  ['      RuntimeManagementConfig: { UpdateRuntimeOn: Auto, RuntimeVersionArn: "arn:aws:lambda:eu-west-1::runtime:' + 'b'.repeat(64) + '" }\n', /RuntimeVersionArn goes with UpdateRuntimeOn Manual, not Auto/],
  ['      SnapStart: { ApplyOn: PublishedVersions }\n', /SnapStart is available for Java 11 and later, Python 3\.12 and later and \.NET 8 and later, not nodejs20\.x/],
  ['      VersionDeletionPolicy: Keep\n', /VersionDeletionPolicy is one of Delete, Retain, got "Keep"/],
  ['      FileSystemConfigs: []\n', /FileSystemConfigs is not supported by stagecraft deploy: there is no EFS/],
  ['      DurableConfig: {}\n', /DurableConfig is not supported by stagecraft deploy: durable functions are not available/],
];

for (const [settings, message] of refused) {
  test(`refused with a located error: ${settings.trim()}`, () => {
    const { errors } = stack(settings);
    assert.ok(errors.some((e) => message.test(e)), errors.join('\n'));
  });
}

test('SnapStart is kept for a runtime that has it, with a warning; SourceKMSKeyArn has no effect', () => {
  const { functions, errors, warnings } = stack('      SnapStart: { ApplyOn: PublishedVersions }\n      SourceKMSKeyArn: arn:aws:kms:eu-west-1:111122223333:key/k\n', '', 'java21');
  assert.deepEqual(errors, []);
  assert.equal(functions[0].settings.snapStart, 'PublishedVersions');
  assert.ok(warnings.some((w) => /SnapStart is stored and shown, but nothing is snapshotted/.test(w)));
  assert.ok(warnings.some((w) => /SourceKMSKeyArn has no effect/.test(w)));
});

test('a deployed configuration with the same settings is no change; a different one names the setting', () => {
  const { functions } = stack('      EphemeralStorage: { Size: 1024 }\n      LoggingConfig: { LogFormat: JSON }\n');
  const spec = functions[0];
  const deployed: FunctionConfiguration = {
    Runtime: 'nodejs20.x', Handler: 'index.handler', MemorySize: 128, Timeout: 3, Description: '', Environment: { Variables: {} }, Layers: [],
    EphemeralStorage: { Size: 1024 }, SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogGroup: '/aws/lambda/one', SystemLogLevel: 'INFO', LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
  };
  assert.deepEqual(configurationDiff(deployed, spec), []);
  assert.deepEqual(configurationDiff({ ...deployed, EphemeralStorage: { Size: 512 }, KMSKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' }, spec), [
    'EphemeralStorage 512 → 1024', 'KmsKeyArn "arn:aws:kms:eu-west-1:111122223333:key/k" → null',
  ]);
});

test('Globals.HttpApi merges into every HttpApi; a property SAM does not take there is an error', () => {
  const { issues, model } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    StageVariables: { color: green }
    Name: shared
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageVariables: { size: large }
`);
  assert.deepEqual(issues.errors.map(formatIssue), ["template.yaml:5:5 (Globals.HttpApi.Name): Name can't be set in Globals.HttpApi"]);
  const { httpApis } = validateStack(model);
  assert.deepEqual(httpApis[0].stageVariables, { color: 'green', size: 'large' });
});
