// A template's metric math alarm as PutMetricAlarm's input: CloudFormation's MetricDataQuery list,
// its periods numbers even from a parameter, its dimensions resolved (!GetAtt Fn.Version.Version);
// composite alarms put after the alarms their rules and suppressors name, and deleted before them;
// a cycle through a suppressor refused before anything is deployed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Issues } from './issues.js';
import { parseTemplate } from './template.js';
import { resolveParameters } from './parameters.js';
import { StackModel } from './stack-model.js';
import { alarmInput, alarmSubject, putOrder } from './metric-alarms.js';
import { parentsFirst } from './alarm-order.js';
import { validateStack } from './stack-validation.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  RatePeriod:
    Type: Number
    Default: 60
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      AutoPublishAlias: live
  Rate:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Metrics:
        - Id: errors
          ReturnData: false
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions:
                - Name: FunctionName
                  Value: !Ref Hello
                - Name: ExecutedVersion
                  Value: !GetAtt Hello.Version.Version
            Period: !Ref RatePeriod
            Stat: Sum
        - Id: rate
          Expression: 100 * errors
          ReturnData: true
      EvaluationPeriods: 1
      Threshold: 10
      ComparisonOperator: GreaterThanThreshold
`;

test('a metric math alarm resource: Metrics as PutMetricAlarm takes them', () => {
  const issues = new Issues();
  const template = parseTemplate(TEMPLATE, 'template.yaml', issues)!;
  const m = new StackModel(template, resolveParameters(template, { RatePeriod: '300' }, issues), { stackName: 'demo', region: 'eu-west-1', accountId: '111122223333' }, undefined, issues);
  assert.deepEqual(issues.errors.map((i) => i.message), []);
  const attributes: Record<string, Record<string, string>> = { Hello: { Ref: 'demo-Hello', 'Version.Version': '7' }, Rate: { Ref: 'demo-Rate-ABC' } };
  const input = alarmInput(m.others.get('Rate')!, m.scope((id, attribute) => attributes[id]?.[attribute]), 'demo');
  const [errors, rate] = input.Metrics as { MetricStat?: { Period: unknown; Metric: { Dimensions: unknown } }; ReturnData?: boolean }[];
  assert.equal(errors.MetricStat!.Period, 300);
  assert.deepEqual(errors.MetricStat!.Metric.Dimensions, [{ Name: 'FunctionName', Value: 'demo-Hello' }, { Name: 'ExecutedVersion', Value: '7' }]);
  assert.equal(rate.ReturnData, true);
  assert.equal(alarmSubject(input), 'metric math 100 * errors');
  assert.equal(alarmSubject({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }), 'AWS/Lambda Errors');
});

test('composites are put after the alarms their rules name, and deleted before them', () => {
  const metric = (name: string) => ({ id: name, type: 'AWS::CloudWatch::Alarm', input: { AlarmName: name } });
  const composite = (name: string, rule: string) => ({ id: name, type: 'AWS::CloudWatch::CompositeAlarm', input: { AlarmName: name, AlarmRule: rule } });
  const order = putOrder([
    composite('top', 'ALARM(mid) OR ALARM("arn:aws:cloudwatch:us-east-1:000000000000:alarm:side")'),
    composite('mid', 'ALARM(a) AND NOT OK(b)'),
    metric('a'),
    composite('side', 'TRUE'),
    metric('b'),
  ]);
  assert.deepEqual(order.map((a) => a.input.AlarmName), ['a', 'b', 'mid', 'side', 'top']);
  assert.equal(alarmSubject({ AlarmRule: 'ALARM(a)' }), 'rule ALARM(a)');
  const listed = [{ AlarmName: 'a' }, { AlarmName: 'mid', AlarmRule: 'ALARM(a)' }, { AlarmName: 'top', AlarmRule: 'ALARM(mid) OR ALARM(a)' }, { AlarmName: 'bad', AlarmRule: 'ALARM(' }];
  assert.deepEqual(parentsFirst(listed).map((a) => a.AlarmName), ['bad', 'top', 'mid', 'a']);
});

const suppressed = (id: string, rule: string, suppressor?: string) =>
  ({ id, type: 'AWS::CloudWatch::CompositeAlarm', input: { AlarmName: `n-${id}`, AlarmRule: rule, ...(suppressor ? { ActionsSuppressor: suppressor } : {}) } });

test('a composite is put after the composite that suppresses its actions (by name or ARN), and deleted before it', () => {
  const order = putOrder([
    suppressed('Release', 'ALARM(m)', 'n-Gate'),
    suppressed('Outer', 'ALARM(n-Release)', 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:n-Maintenance'),
    suppressed('Gate', 'ALARM(m)', 'm'),
    suppressed('Maintenance', 'TRUE'),
    { id: 'M', type: 'AWS::CloudWatch::Alarm', input: { AlarmName: 'm' } },
  ]);
  assert.deepEqual(order.map((a) => a.id), ['M', 'Gate', 'Release', 'Maintenance', 'Outer']);
  const listed = [
    { AlarmName: 'gate', AlarmRule: 'TRUE' },
    { AlarmName: 'release', AlarmRule: 'ALARM(m)', ActionsSuppressor: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:gate' },
    { AlarmName: 'm' },
  ];
  assert.deepEqual(parentsFirst(listed).map((a) => a.AlarmName), ['release', 'm', 'gate']);
});

test('composites in a cycle through a suppressor are refused as CloudFormation refuses a circular dependency; one through rules alone is not', () => {
  const message = (ids: string) => `Circular dependency between resources: [${ids}]: composite alarms whose ActionsSuppressor (or AlarmRule) name each other in a cycle `
    + '(CloudWatch refuses an ActionsSuppressor that does not exist yet, so none of them can be put first)';
  assert.throws(() => putOrder([suppressed('A', 'TRUE', 'n-B'), suppressed('B', 'ALARM(n-C)'), suppressed('C', 'TRUE', 'n-A')]), { message: message('A, B, C') });
  assert.throws(() => putOrder([suppressed('Self', 'TRUE', 'n-Self')]), { message: message('Self') });
  // A cycle through rules alone (CloudWatch lets updates make one) keeps its listed order.
  assert.deepEqual(putOrder([suppressed('X', 'ALARM(n-Y)'), suppressed('Y', 'ALARM(n-X)', 'n-Z'), suppressed('Z', 'TRUE')]).map((a) => a.id), ['Z', 'X', 'Y']);

  // In a template, before anything is deployed: !Ref and !GetAtt .Arn name the other composite.
  const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Release:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmRule: "TRUE"
      ActionsSuppressor: !Ref Gate
      ActionsSuppressorWaitPeriod: 60
      ActionsSuppressorExtensionPeriod: 60
  Gate:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: gate
      AlarmRule: "TRUE"
      ActionsSuppressor: !GetAtt Release.Arn
      ActionsSuppressorWaitPeriod: 60
      ActionsSuppressorExtensionPeriod: 60
`;
  const issues = new Issues();
  const parsed = parseTemplate(template, 'template.yaml', issues)!;
  validateStack(new StackModel(parsed, resolveParameters(parsed, {}, issues), { stackName: 'demo', region: 'us-east-1', accountId: '111122223333' }, undefined, issues));
  assert.deepEqual(issues.errors.map((i) => [i.message, i.path]), [[message('Release, Gate'), 'Resources.Release.Properties']]);
});
