// Content codings as API Gateway takes them (AWS's "Content codings supported by API Gateway"):
// deflate, gzip and identity, read from Content-Encoding on requests and chosen from
// Accept-Encoding (RFC 7231, q-values) for responses. Pure parsing: no zlib here.

/** The codings API Gateway compresses responses with. */
export type CompressingCoding = 'gzip' | 'deflate';

/** The codings API Gateway decodes request bodies from. */
export type RequestCoding = CompressingCoding | 'identity';

interface Weighted {
  coding: string;
  q: number;
}

function parseWeighted(header: string): Weighted[] {
  const out: Weighted[] = [];
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key.trim().toLowerCase() !== 'q') continue;
      const parsed = Number(value?.trim());
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
    }
    out.push({ coding, q });
  }
  return out;
}

/**
 * The coding a response is compressed with for this Accept-Encoding, or undefined for none. As AWS
 * documents: the highest-priority coding (largest q; the first listed among equals) must be gzip or
 * deflate, else nothing is compressed — so `br, gzip` and `br;q=1, gzip;q=0.8` are not, and neither
 * is a missing header, `*` or `identity` (API Gateway compresses only on an explicit supported coding).
 */
export function negotiateCoding(acceptEncoding: string | undefined): CompressingCoding | undefined {
  if (!acceptEncoding) return undefined;
  let best: Weighted | undefined;
  for (const entry of parseWeighted(acceptEncoding)) {
    if (entry.q > 0 && (best === undefined || entry.q > best.q)) best = entry;
  }
  return best?.coding === 'gzip' || best?.coding === 'deflate' ? best.coding : undefined;
}

/**
 * A request's Content-Encoding as the codings applied to its body, in the order they were applied
 * (`gzip, identity` is gzip), or undefined when one of them is not deflate, gzip or identity.
 */
export function requestCodings(contentEncoding: string): RequestCoding[] | undefined {
  const codings: RequestCoding[] = [];
  for (const part of contentEncoding.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding === 'gzip' || coding === 'deflate' || coding === 'identity') codings.push(coding);
    else if (coding !== '') return undefined;
  }
  return codings;
}
