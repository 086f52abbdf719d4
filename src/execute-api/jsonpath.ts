// The JSONPath subset API Gateway mapping templates use ($input.path / $input.json, response
// parameters from integration.response.body.*): `$`, `.name`, `['name']`, `[n]`, `[*]`, `.*` and
// `..name`. A path with a wildcard or `..` yields the list of matches; otherwise the one value.

type Step = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wild' } | { kind: 'deep'; name: string | null };

const cache = new Map<string, Step[] | null>();

function parse(path: string): Step[] | null {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const steps: Step[] = [];
  let i = 0;
  const p = path.trim();
  if (p[0] === '$') i = 1;
  let ok = true;
  while (i < p.length && ok) {
    if (p.startsWith('..', i)) {
      i += 2;
      if (p[i] === '*') {
        steps.push({ kind: 'deep', name: null });
        i++;
      } else {
        const m = /^[^.[\]]+/.exec(p.slice(i));
        if (!m) ok = false;
        else {
          steps.push({ kind: 'deep', name: m[0] });
          i += m[0].length;
        }
      }
    } else if (p[i] === '.') {
      i++;
      if (p[i] === '*') {
        steps.push({ kind: 'wild' });
        i++;
      } else {
        const m = /^[^.[\]]+/.exec(p.slice(i));
        if (!m) ok = false;
        else {
          steps.push({ kind: 'name', name: m[0] });
          i += m[0].length;
        }
      }
    } else if (p[i] === '[') {
      const close = p.indexOf(']', i);
      if (close < 0) {
        ok = false;
        break;
      }
      const inner = p.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wild' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'name', name: inner.slice(1, -1) });
      else ok = false;
    } else if (steps.length === 0 && i === 0) {
      // A bare name without the leading `$.` (API Gateway accepts `$input.path('a.b')` too).
      const m = /^[^.[\]]+/.exec(p);
      if (!m) ok = false;
      else {
        steps.push({ kind: 'name', name: m[0] });
        i += m[0].length;
      }
    } else ok = false;
  }
  const result = ok ? steps : null;
  if (cache.size > 1024) cache.clear();
  cache.set(path, result);
  return result;
}

function child(value: unknown, name: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, name)) return (value as Record<string, unknown>)[name];
  return undefined;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

function descend(value: unknown, name: string | null, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  if (name === null) out.push(...children(value));
  else if (!Array.isArray(value) && Object.hasOwn(value, name)) out.push((value as Record<string, unknown>)[name]);
  for (const c of children(value)) descend(c, name, out);
}

/** Evaluates a JSONPath; undefined when nothing matches (or the path is not one we understand). */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  const steps = parse(path);
  if (!steps) return undefined;
  let current: unknown[] = [root];
  let multiple = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (step.kind) {
        case 'name': {
          const c = child(v, step.name);
          if (c !== undefined) next.push(c);
          break;
        }
        case 'index':
          if (Array.isArray(v)) {
            const c = v[step.index < 0 ? v.length + step.index : step.index];
            if (c !== undefined) next.push(c);
          }
          break;
        case 'wild':
          multiple = true;
          next.push(...children(v));
          break;
        case 'deep':
          multiple = true;
          descend(v, step.name, next);
          break;
      }
    }
    current = next;
  }
  return multiple ? current : current[0];
}
