// A template's metric math alarm as PutMetricAlarm's input: CloudFormation's MetricDataQuery list,
// its periods numbers even from a parameter, its dimensions resolved (!GetAtt Fn.Version.Version);
// composite alarms put after the alarms they name, and deleted before them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Issues } from './issues.js';
import { parseTemplate } from './template.js';
import { resolveParameters } from './parameters.js';
import { StackModel } from './stack-model.js';
import { alarmInput, alarmSubject, putOrder } from './metric-alarms.js';
import { parentsFirst } from './cloudwatch-calls.js';

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
  const metric = (name: string) => ({ type: 'AWS::CloudWatch::Alarm', input: { AlarmName: name } });
  const composite = (name: string, rule: string) => ({ type: 'AWS::CloudWatch::CompositeAlarm', input: { AlarmName: name, AlarmRule: rule } });
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
