// TagResource, UntagResource and ListTagsForResource for the CloudWatch resources that carry tags
// here: metric and composite alarms (arn:aws:cloudwatch:{region}:{account}:alarm:{name}) and
// dashboards (arn:aws:cloudwatch::{account}:dashboard/{name}; an account's, not a region's).
// Tags live on the records themselves (an alarm's Tags, a dashboard's tags), so both stores keep them.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, Tag } from '../aws/generated/cloudwatch.js';
import type { RequestContext } from '../aws/request-context.js';
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import type { DashboardStore } from '../store/dashboard-store.js';
import { parseAnyAlarm, storedAlarm } from './alarm-record.js';
import { dashboardArn } from './dashboard-handlers.js';
import { invalidValue, resourceNotFound } from './errors.js';
import { mergedTags } from './tags.js';

export interface TagDeps {
  store: CloudWatchStore;
  /** Without it, dashboard ARNs name nothing. */
  dashboards?: DashboardStore;
}

/** A CloudWatch resource holds at most 50 tags (AWS's limit). */
const MAX_TAGS = 50;
const CLOUDWATCH_ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]*):(\d{12}):(.+)$/;

/** One taggable resource: its tags read, and written back. */
interface Tagged {
  tags: Tag[];
  save(tags: Tag[]): Promise<void>;
}

export function tagHandlers(deps: TagDeps): HandlerTable<Operations> {
  const { store, dashboards } = deps;

  /** The resource an ARN names, or ResourceNotFoundException; a malformed ARN is InvalidParameterValue. */
  async function resolve(arn: string, ctx: RequestContext): Promise<Tagged> {
    const match = CLOUDWATCH_ARN.exec(arn);
    if (!match) throw invalidValue(`Invalid ARN: ${arn}`);
    if (dashboards && arn.startsWith(dashboardArn(ctx.accountId, ''))) {
      const d = await dashboards.getDashboard(ctx.accountId, arn.slice(dashboardArn(ctx.accountId, '').length));
      if (!d) throw resourceNotFound();
      return { tags: JSON.parse(d.tags) as Tag[], save: (tags) => dashboards.putDashboard({ ...d, tags: JSON.stringify(tags) }) };
    }
    const alarmPrefix = `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:`;
    const stored = arn.startsWith(alarmPrefix) ? await store.getAlarm(ctx, arn.slice(alarmPrefix.length)) : undefined;
    if (!stored) throw resourceNotFound();
    const alarm = parseAnyAlarm(stored);
    return { tags: alarm.Tags ?? [], save: (tags) => store.putAlarm(storedAlarm({ ...alarm, Tags: tags })) };
  }

  return {
    async TagResource(input, ctx) {
      for (const t of input.Tags) {
        if (t.Key.toLowerCase().startsWith('aws:')) throw invalidValue(`Tag keys beginning with 'aws:' are reserved: ${t.Key}`);
      }
      const resource = await resolve(input.ResourceARN, ctx);
      const tags = mergedTags(resource.tags, input.Tags);
      if (tags.length > MAX_TAGS) throw invalidValue(`A resource can have at most ${MAX_TAGS} tags; this request would leave it with ${tags.length}.`);
      await resource.save(tags);
    },

    async UntagResource(input, ctx) {
      const resource = await resolve(input.ResourceARN, ctx);
      const removed = new Set(input.TagKeys);
      await resource.save(resource.tags.filter((t) => !removed.has(t.Key)));
    },

    async ListTagsForResource(input, ctx) {
      return { Tags: (await resolve(input.ResourceARN, ctx)).tags };
    },
  };
}
