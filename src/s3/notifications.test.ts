import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationConfigurationXml, parseNotificationConfiguration } from './notification-configuration.js';
import { eventKey, nextSequencer, s3EventMessage, targetMatches } from './notification-events.js';
import { S3Error } from './errors.js';

const FN = 'arn:aws:lambda:us-east-1:111111111111:function:f';
const lambda = (events: string[], filter = '', id = '') =>
  `<CloudFunctionConfiguration>${id ? `<Id>${id}</Id>` : ''}<CloudFunction>${FN}</CloudFunction>${events.map((e) => `<Event>${e}</Event>`).join('')}${filter}</CloudFunctionConfiguration>`;
const rules = (prefix?: string, suffix?: string) => `<Filter><S3Key>${prefix !== undefined ? `<FilterRule><Name>prefix</Name><Value>${prefix}</Value></FilterRule>` : ''}`
  + `${suffix !== undefined ? `<FilterRule><Name>Suffix</Name><Value>${suffix}</Value></FilterRule>` : ''}</S3Key></Filter>`;
const doc = (...inner: string[]) => `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner.join('')}</NotificationConfiguration>`;
const refusal = (xml: string): S3Error => {
  try {
    parseNotificationConfiguration(xml);
  } catch (e) {
    if (e instanceof S3Error) return e;
    throw e;
  }
  assert.fail('accepted');
};

test('parses every kind (CloudFunction and LambdaFunctionArn forms), filters, EventBridge; writes back S3\'s elements', () => {
  const c = parseNotificationConfiguration(doc(
    lambda(['s3:ObjectCreated:*'], rules('in/', '.csv'), 'csv'),
    '<LambdaFunctionConfiguration><Id>rm</Id><LambdaFunctionArn>arn:aws:lambda:us-east-1:111111111111:function:g</LambdaFunctionArn><Event>s3:ObjectRemoved:*</Event></LambdaFunctionConfiguration>',
    '<QueueConfiguration><Queue>arn:aws:sqs:us-east-1:111111111111:q</Queue><Event>s3:ObjectTagging:Put</Event></QueueConfiguration>',
    '<TopicConfiguration><Id>t</Id><Topic>arn:aws:sns:us-east-1:111111111111:t</Topic><Event>s3:ObjectTagging:Delete</Event></TopicConfiguration>',
    '<EventBridgeConfiguration/>',
  ));
  assert.deepEqual(c.targets.map((t) => [t.kind, t.events, t.prefix, t.suffix]), [
    ['topic', ['s3:ObjectTagging:Delete'], undefined, undefined],
    ['queue', ['s3:ObjectTagging:Put'], undefined, undefined],
    ['lambda', ['s3:ObjectCreated:*'], 'in/', '.csv'],
    ['lambda', ['s3:ObjectRemoved:*'], undefined, undefined],
  ]);
  assert.deepEqual([c.targets[0].id, c.targets[2].id, c.targets[3].id], ['t', 'csv', 'rm']);
  assert.match(c.targets[1].id, /^[A-Za-z0-9+/]{20,}$/, 'an Id generated when none is given');
  assert.equal(c.eventBridge, true);
  const xml = notificationConfigurationXml(c);
  assert.match(xml, /^<TopicConfiguration><Id>t<\/Id><Topic>arn:aws:sns:us-east-1:111111111111:t<\/Topic><Event>s3:ObjectTagging:Delete<\/Event><\/TopicConfiguration><QueueConfiguration>/);
  assert.ok(xml.includes(`<CloudFunctionConfiguration><Id>csv</Id><CloudFunction>${FN}</CloudFunction><Event>s3:ObjectCreated:*</Event>`
    + '<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>in/</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration>'));
  assert.ok(xml.endsWith('<EventBridgeConfiguration></EventBridgeConfiguration>'));
  assert.deepEqual(parseNotificationConfiguration(xml.replace(/^/, '<NotificationConfiguration>').concat('</NotificationConfiguration>')), c, 'reads back what it writes');
  assert.deepEqual(parseNotificationConfiguration('<NotificationConfiguration/>'), { targets: [], eventBridge: false });
});

test('refuses unknown events, bad filter rules and overlapping configurations as S3 does', () => {
  let e = refusal(doc(lambda(['s3:ObjectCreated:Nope'])));
  assert.deepEqual([e.code, e.message, e.fields], ['InvalidArgument', 'The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Nope' }]);
  e = refusal(doc(lambda(['s3:ObjectCreated:*']), lambda(['s3:ObjectCreated:Put'])));
  assert.equal(e.message, 'Configurations overlap. Configurations on the same bucket cannot share a common event type.');
  assert.deepEqual(e.fields, { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:*, s3:ObjectCreated:Put' });
  e = refusal(doc(lambda(['s3:ObjectCreated:*'], rules('logs/')), lambda(['s3:ObjectCreated:Put'], rules('logs/2024/'))));
  assert.match(e.message, /^Configuration is ambiguously defined\. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type\.$/);
  e = refusal(doc(lambda(['s3:ObjectCreated:*'], rules(undefined, '.jpg')), lambda(['s3:ObjectCreated:*'], rules(undefined, 'a.jpg'))));
  assert.equal(e.code, 'InvalidArgument');
  e = refusal(doc(lambda(['s3:ObjectCreated:*'], '<Filter><S3Key><FilterRule><Name>INVALID</Name><Value>x</Value></FilterRule></S3Key></Filter>')));
  assert.deepEqual([e.message, e.fields], ['filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: 'INVALID' }]);
  e = refusal(doc('<QueueConfiguration><Queue>invalid-queue</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>'));
  assert.deepEqual([e.message, e.fields], ['The ARN could not be parsed', { ArgumentName: 'Queue', ArgumentValue: 'invalid-queue' }]);
  e = refusal(doc('<CloudFunctionConfiguration><CloudFunction>my-function</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>'));
  assert.deepEqual(e.fields, { ArgumentName: 'CloudFunction', ArgumentValue: 'my-function' });
  assert.equal(refusal(doc('<CloudFunctionConfiguration><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>')).code, 'MalformedXML');
  // Disjoint prefixes, disjoint suffixes, or different event types: accepted.
  parseNotificationConfiguration(doc(lambda(['s3:ObjectCreated:*'], rules('a/')), lambda(['s3:ObjectCreated:*'], rules('b/'))));
  parseNotificationConfiguration(doc(lambda(['s3:ObjectCreated:*'], rules('', '.png')), lambda(['s3:ObjectCreated:*'], rules('', '.jpg'))));
  parseNotificationConfiguration(doc(lambda(['s3:ObjectCreated:*']), lambda(['s3:ObjectRemoved:*']), lambda(['s3:ObjectTagging:Put'])));
});

test('an event reaches the configurations naming it or its wildcard, within prefix and suffix', () => {
  const t = { kind: 'lambda' as const, id: 'x', arn: FN, events: ['s3:ObjectCreated:*', 's3:ObjectTagging:Delete'], prefix: 'in/', suffix: '.csv' };
  assert.equal(targetMatches(t, 's3:ObjectCreated:Put', 'in/a.csv'), true);
  assert.equal(targetMatches(t, 's3:ObjectCreated:CompleteMultipartUpload', 'in/deep/b.csv'), true);
  assert.equal(targetMatches(t, 's3:ObjectTagging:Delete', 'in/a.csv'), true);
  assert.equal(targetMatches(t, 's3:ObjectTagging:Put', 'in/a.csv'), false);
  assert.equal(targetMatches(t, 's3:ObjectRemoved:Delete', 'in/a.csv'), false);
  assert.equal(targetMatches(t, 's3:ObjectCreated:Put', 'out/a.csv'), false);
  assert.equal(targetMatches(t, 's3:ObjectCreated:Put', 'in/a.csv.gz'), false);
  assert.equal(targetMatches({ ...t, prefix: undefined, suffix: undefined }, 's3:ObjectCreated:Copy', 'anything'), true);
});

test('the event message: S3\'s record, key form-encoded, no size or eTag for removals, tagging events 2.3 without sequencer; sequencers grow', () => {
  const base = {
    region: 'eu-west-1', bucket: 'bkt', ownerAccountId: '111111111111', key: 'dir/my file+(1).txt', principalId: 'AWS:111111111111',
    sourceIp: '127.0.0.1', requestId: 'REQ1', timeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678), sequencer: '00ABC',
  };
  const created = s3EventMessage({ ...base, eventName: 's3:ObjectCreated:Put', size: 12, etag: '"0123abcd"' }, 'cfg');
  assert.deepEqual(created, {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventTime: '2026-01-02T03:04:05.678Z', eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:111111111111' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'REQ1', 'x-amz-id-2': 'REQ1' },
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'cfg',
        bucket: { name: 'bkt', ownerIdentity: { principalId: '111111111111' }, arn: 'arn:aws:s3:::bkt' },
        object: { key: 'dir/my+file%2B%281%29.txt', size: 12, eTag: '0123abcd', sequencer: '00ABC' },
      },
    }],
  });
  type Message = { Records: { eventVersion: string; s3: { object: Record<string, unknown> } }[] };
  const removed = s3EventMessage({ ...base, eventName: 's3:ObjectRemoved:Delete' }, 'cfg') as Message;
  assert.deepEqual(removed.Records[0].s3.object, { key: 'dir/my+file%2B%281%29.txt', sequencer: '00ABC' });
  const tagged = s3EventMessage({ ...base, eventName: 's3:ObjectTagging:Put', etag: '"0123abcd"', sequencer: undefined }, 'cfg') as Message;
  assert.equal(tagged.Records[0].eventVersion, '2.3');
  assert.deepEqual(tagged.Records[0].s3.object, { key: 'dir/my+file%2B%281%29.txt', eTag: '0123abcd' });
  assert.equal(eventKey('a=b&c/é'), 'a%3Db%26c/%C3%A9');
  const first = nextSequencer(1_000);
  const second = nextSequencer(1_000);
  const third = nextSequencer(999);
  assert.ok(first < second && second < third, `${first} < ${second} < ${third}`);
  assert.match(first, /^[0-9A-F]{16}$/);
});
