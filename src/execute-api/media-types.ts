// Binary media types: which payloads API Gateway treats as binary (base64 towards Lambda, raw bytes
// towards the client). Patterns are exact types, `type/*` or `*/*`, compared without parameters.

/** A media type without its parameters, lower-cased: "application/json" for "Application/JSON; charset=utf-8". */
export function bare(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

export function matchesMediaType(patterns: readonly string[], contentType: string | undefined): boolean {
  if (!contentType || patterns.length === 0) return false;
  const type = bare(contentType);
  const slash = type.indexOf('/');
  const major = slash < 0 ? type : type.slice(0, slash);
  for (const raw of patterns) {
    const p = raw.replace(/~1/g, '/').toLowerCase();
    if (p === '*/*' || p === type) return true;
    if (p.endsWith('/*') && p.slice(0, -2) === major) return true;
  }
  return false;
}

/** The first media type of an Accept header (API Gateway decides binary responses on it). */
export function firstAccepted(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  const comma = accept.indexOf(',');
  return bare(comma < 0 ? accept : accept.slice(0, comma));
}
