// GetBucketNotificationConfiguration (and the older GetBucketNotification, the same GET) and
// PutBucketNotificationConfiguration: `?notification` on a bucket. A bucket never configured
// answers an empty configuration; a put replaces the whole configuration once its events, filters
// and destinations are checked (an empty document removes every configuration).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../aws/request-context.js';
import { s3Error } from './errors.js';
import { parseDocument, sendDocument } from './xml.js';
import { bodylessBucketRequest, readPayload, type S3Request } from './request.js';
import type { S3Objects } from './objects.js';
import { notificationConfigurationXml, parseNotificationConfiguration } from './notification-configuration.js';

export async function bucketNotification(req: IncomingMessage, res: ServerResponse, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<void> {
  const { accountId } = ctx;
  switch (r.method) {
    case 'GET': {
      await bodylessBucketRequest(req, r, objects, ctx);
      const configuration = await objects.store.getBucketNotification(accountId, r.bucket);
      sendDocument(res, 'NotificationConfiguration', configuration ? notificationConfigurationXml(configuration) : '');
      return;
    }
    case 'PUT': {
      const { data } = await readPayload(req, r, ctx, true);
      await objects.bucket(accountId, r.bucket);
      const configuration = parseNotificationConfiguration(parseDocument(data, 'NotificationConfiguration'));
      // x-amz-skip-destination-validation: stored without asking the destinations (SkipDestinationValidation).
      if (r.header('x-amz-skip-destination-validation') !== 'true') await objects.notifications.validate(r.bucket, accountId, configuration);
      if (!(await objects.store.setBucketNotification(accountId, r.bucket, configuration))) throw s3Error('NoSuchBucket', { BucketName: r.bucket });
      await objects.notifications.sendTestEvents(ctx, r.bucket, configuration);
      res.writeHead(200, { 'content-length': 0 }).end();
      return;
    }
    default:
      req.resume();
      throw s3Error('MethodNotAllowed', { Method: r.method, ResourceType: 'BUCKET' });
  }
}
