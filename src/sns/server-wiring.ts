// SNS on the server: the module served on the edge, its Lambda and HTTP/S delivery targets, its
// delivery queue started (deliveries queued before a restart resume) and closed with the server.
import type { Invoker } from '../lambda/invoke.js';
import type { ServiceModule } from '../server/service-module.js';
import { createSnsModule, type SnsModule, type SnsOptions } from './module.js';
import { lambdaTarget } from './lambda-target.js';
import { httpTarget } from './http-target.js';

export interface SnsWiring extends SnsOptions {
  invoker: Pick<Invoker, 'invoke'>;
  services: ServiceModule[];
  closers: (() => Promise<void> | void)[];
}

export function startSns(w: SnsWiring): SnsModule {
  const sns = createSnsModule(w);
  // First: the unsigned links in notifications (SubscribeURL, UnsubscribeURL) carry no Version, which
  // IAM and STS would otherwise claim; SNS claims only those links and requests of its own version.
  w.services.unshift(sns.service);
  sns.deliverTo('lambda', lambdaTarget(w.invoker));
  const http = httpTarget();
  sns.deliverTo('http', http);
  sns.deliverTo('https', http);
  sns.start();
  w.closers.push(() => sns.close());
  return sns;
}
