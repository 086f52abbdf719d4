// The SQL both stores run on the VPC link table (the dialects agree here), and its rows.
import type { VpcLinkRecord } from '../vpc-link-store.js';

export const VPC_LINK_SQL = {
  insert: `INSERT INTO apigw_vpc_links (account_id, region, kind, id, created_ms, config) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  get: 'SELECT config FROM apigw_vpc_links WHERE account_id = ? AND region = ? AND kind = ? AND id = ?',
  list: 'SELECT config FROM apigw_vpc_links WHERE account_id = ? AND region = ? AND kind = ? ORDER BY created_ms, id',
  update: 'UPDATE apigw_vpc_links SET config = ? WHERE account_id = ? AND region = ? AND kind = ? AND id = ?',
  delete: 'DELETE FROM apigw_vpc_links WHERE account_id = ? AND region = ? AND kind = ? AND id = ?',
};

/** The key columns of a link, in the order the statements above take them after their other values. */
export const vpcLinkKey = (l: Pick<VpcLinkRecord, 'accountId' | 'region' | 'kind' | 'id'>): string[] => [l.accountId, l.region, l.kind, l.id];

export const insertParams = (l: VpcLinkRecord): unknown[] => [...vpcLinkKey(l), l.createdDate, JSON.stringify(l)];

export const vpcLinkOf = (config: string): VpcLinkRecord => JSON.parse(config) as VpcLinkRecord;
