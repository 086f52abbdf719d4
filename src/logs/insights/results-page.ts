// GetQueryResults' paging, as AWS documents it: at most `maxItems` rows an answer (at most 10,000,
// the model's bound), and a `nextToken` while rows remain, valid for 1 hour, to read the rest (a
// query returns at most 100,000 rows). The token is an opaque cursor over the query's stored rows,
// bound to its query; a running query's rows are those stored so far when each page is read.
import { invalidParameter } from '../errors.js';
import { cursorToken, parseCursorToken } from '../tokens.js';

/** AWS's largest page, and the page without maxItems (Stagecraft's reading: "the maximum is 10,000 log events per request"). */
export const MAX_PAGE_ROWS = 10_000;
/** How long a token is valid ("The token expires after 1 hour"). */
const TOKEN_TTL_MS = 3_600_000;

interface ResultsCursor {
  /** The query the token belongs to. */
  q: string;
  /** The first row of the page. */
  o: number;
  /** When the token stops being valid (epoch ms). */
  x: number;
}

export interface ResultsPage<T> {
  results: T[];
  nextToken?: string;
}

/** The page of `rows` that the request asks for; InvalidParameterException for a token of another query, or an expired one. */
export function resultsPage<T>(rows: readonly T[], request: { queryId: string; nextToken?: string; maxItems?: number }, nowMs: number): ResultsPage<T> {
  let start = 0;
  if (request.nextToken !== undefined) {
    const cursor = parseCursorToken<ResultsCursor>(request.nextToken,
      (v) => v.q === request.queryId && Number.isInteger(v.o) && (v.o as number) >= 0 && typeof v.x === 'number');
    if (cursor.x <= nowMs) throw invalidParameter('The specified nextToken has expired.');
    start = cursor.o;
  }
  // maxItems 0 (the model allows it) asks for no particular size: the default page (Stagecraft's choice).
  const size = request.maxItems || MAX_PAGE_ROWS;
  const end = start + size;
  return {
    results: rows.slice(start, end),
    nextToken: end < rows.length ? cursorToken({ q: request.queryId, o: end, x: nowMs + TOKEN_TTL_MS } satisfies ResultsCursor) : undefined,
  };
}
