// An alias's state (its version and the traffic shares of extra versions) and its text form in
// Stagecraft's tags ("3", or "3+4@0.1"). Pure, so the web console loads it too (src/server/console.ts).

export interface AliasState {
  version: string;
  /** Extra versions and their share of traffic (0–1), as AdditionalVersionWeights. */
  weights: Record<string, number>;
}

export function sameState(a: AliasState, b: AliasState): boolean {
  const wa = Object.entries(a.weights).filter(([, w]) => w > 0).sort();
  const wb = Object.entries(b.weights).filter(([, w]) => w > 0).sort();
  return a.version === b.version && JSON.stringify(wa) === JSON.stringify(wb);
}

/** "3", or "3+4@0.1" for 90% on 3 and 10% on 4. */
export function formatState(s: AliasState): string {
  return [s.version, ...Object.entries(s.weights).map(([v, w]) => `${v}@${w}`)].join('+');
}

export function parseState(text: string): AliasState | undefined {
  const [version, ...extra] = text.split('+');
  if (!version || !/^(\d+|\$LATEST)$/.test(version)) return undefined;
  const weights: Record<string, number> = {};
  for (const e of extra) {
    const m = /^(\d+)@(0(\.\d+)?|1)$/.exec(e);
    if (!m) return undefined;
    weights[m[1]] = Number(m[2]);
  }
  return { version, weights };
}
