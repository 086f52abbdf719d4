// Reading every page of an AWS list: API Gateway's position/limit paging and Lambda's Marker/NextMarker.

/** Every item of an API Gateway (REST) list. */
export async function allPages<T>(fetch: (position?: string) => Promise<{ items?: T[]; position?: string }>): Promise<T[]> {
  const out: T[] = [];
  let position: string | undefined;
  do {
    const page = await fetch(position);
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

/** Every item of a Lambda list, `fetch` giving a page's items and its NextMarker. */
export async function allMarkers<T>(fetch: (marker?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    out.push(...page.items);
    marker = page.next;
  } while (marker);
  return out;
}
