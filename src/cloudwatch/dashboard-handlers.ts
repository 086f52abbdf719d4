// PutDashboard, GetDashboard, ListDashboards and DeleteDashboards (their tags: ./tag-handlers.ts).
// Dashboards belong to the account: their ARN has no region and every region's endpoint sees the
// same ones.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, Tag } from '../aws/generated/cloudwatch.js';

type Handlers = HandlerTable<Operations>;
import type { DashboardStore } from '../store/dashboard-store.js';
import { dashboardBodyErrors } from './dashboard-body.js';
import { dashboardInvalid, dashboardNotFound, invalidNextToken } from './errors.js';
import { mergedTags } from './tags.js';

export interface DashboardDeps {
  store: DashboardStore;
  now: () => number;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const MAX_NAME = 255;
/** ListDashboards answers up to 1000 dashboards a call (AWS's page). */
const PAGE = 1000;

export const dashboardArn = (accountId: string, name: string): string => `arn:aws:cloudwatch::${accountId}:dashboard/${name}`;

export function dashboardHandlers(deps: DashboardDeps): Handlers {
  const { store, now } = deps;

  return {
    async PutDashboard(input, ctx) {
      checkName(input.DashboardName);
      const errors = dashboardBodyErrors(input.DashboardBody);
      if (errors.length) {
        const listed = JSON.stringify(errors.map((e) => ({ dataPath: e.DataPath, message: e.Message })), null, 2);
        throw dashboardInvalid(`The dashboard body is invalid, there are ${errors.length} validation errors:\n${listed}`, errors);
      }
      const existing = await store.getDashboard(ctx.accountId, input.DashboardName);
      // Tags given on an update are added to (or replace the values of) the ones the dashboard has.
      await store.putDashboard({
        accountId: ctx.accountId, name: input.DashboardName, body: input.DashboardBody,
        tags: JSON.stringify(mergedTags(existing ? JSON.parse(existing.tags) as Tag[] : [], input.Tags ?? [])), lastModifiedMs: now(),
      });
      return { DashboardValidationMessages: [] };
    },

    async GetDashboard(input, ctx) {
      const d = await store.getDashboard(ctx.accountId, input.DashboardName);
      if (!d) throw dashboardNotFound(`Dashboard ${input.DashboardName} does not exist`);
      return { DashboardArn: dashboardArn(d.accountId, d.name), DashboardBody: d.body, DashboardName: d.name };
    },

    async ListDashboards(input, ctx) {
      const prefix = input.DashboardNamePrefix ?? '';
      const matching = (await store.listDashboards(ctx.accountId)).filter((d) => d.name.startsWith(prefix));
      // The token names the last dashboard of the page (they list by name).
      let from = 0;
      if (input.NextToken !== undefined) {
        const after = decodeToken(input.NextToken);
        from = matching.findIndex((d) => d.name > after);
        if (from < 0) from = matching.length;
      }
      const page = matching.slice(from, from + PAGE);
      return {
        DashboardEntries: page.map((d) => ({
          DashboardName: d.name, DashboardArn: dashboardArn(d.accountId, d.name), LastModified: new Date(d.lastModifiedMs), Size: Buffer.byteLength(d.body),
        })),
        NextToken: from + PAGE < matching.length ? Buffer.from(`dashboard:${page[page.length - 1].name}`).toString('base64') : undefined,
      };
    },

    async DeleteDashboards(input, ctx) {
      // All or nothing: one missing name and none goes.
      const missing = await store.deleteDashboards(ctx.accountId, [...new Set(input.DashboardNames)]);
      if (missing.length) throw dashboardNotFound(`The specified dashboard does not exist. [${missing.join(', ')}]`);
    },
  };
}

function checkName(name: string): void {
  if (name.length > MAX_NAME) throw dashboardInvalid(`The value for field DashboardName must be ${MAX_NAME} characters or fewer.`);
  if (!NAME.test(name)) throw dashboardInvalid('The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('dashboard:')) throw invalidNextToken();
  return text.slice('dashboard:'.length);
}
