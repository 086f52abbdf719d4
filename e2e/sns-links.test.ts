// The links in SNS messages are opened as they are: with signatures checked, an unsigned
// SubscribeURL (of a topic outside the default region) confirms the subscription and an unsigned
// UnsubscribeURL removes it, while other unsigned SNS calls are refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { snsClient } from '../src/testing/aws.js';
import { waitFor } from '../src/testing/wait.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { SnsListener } from '../src/testing/sns-listener.js';

const env = useServer({ env: { STAGECRAFT_CREDENTIALS: 'test:test' } });
const listener = new SnsListener();
after(() => listener.close());

test('unsigned SubscribeURL and UnsubscribeURL work; other unsigned calls are refused', { timeout: 60_000 }, async () => {
  const endpoint = await listener.start();
  const sns = snsClient(env.url, 'eu-west-1');
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'linked' }));
    assert.match(TopicArn!, /^arn:aws:sns:eu-west-1:/);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint}/linked` }));
    const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies('/linked').find((b) => b.Type === 'SubscriptionConfirmation'));
    assert.ok(confirmation.SubscribeURL.startsWith(env.url));
    const confirmed = await fetch(confirmation.SubscribeURL);
    const xml = await confirmed.text();
    assert.equal(confirmed.status, 200, xml);
    const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1];
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!.PendingConfirmation, 'false');

    const unsigned = await fetch(`${env.url}/?Action=ListTopics&Version=2010-03-31`);
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);

    const unsubscribed = await fetch(`${env.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`);
    assert.equal(unsubscribed.status, 200, await unsubscribed.text());
    await expectAwsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })), 'NotFoundException', 'Subscription does not exist');
  } finally {
    sns.destroy();
  }
});
