// ListTopics' and ListSubscriptions' pages: 100 items by ARN; NextToken is the last ARN given, opaque.
import { invalidParameter } from './errors.js';

const PAGE = 100;

export function pageByArn<T extends { arn: string }>(all: T[], nextToken: string | undefined): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const after = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (!after.startsWith('arn:aws:sns:')) throw invalidParameter('NextToken');
    const index = all.findIndex((item) => item.arn > after);
    start = index < 0 ? all.length : index;
  }
  const page = all.slice(start, start + PAGE);
  return { page, ...(start + PAGE < all.length ? { nextToken: Buffer.from(page[page.length - 1].arn).toString('base64url') } : {}) };
}
