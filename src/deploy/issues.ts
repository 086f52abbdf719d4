// Problems found in a template or in the native config, each with where it is: file, line,
// column and the template path (Resources.Fn.Properties.Runtime), so a user can go straight there.

export interface Location {
  file: string;
  line: number;
  column: number;
}

export interface Issue {
  severity: 'error' | 'warning';
  message: string;
  /** Template path such as `Resources.HelloFunction.Properties.Runtime`. */
  path?: string;
  loc?: Location;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** `template.yaml:12:7 (Resources.Fn.Properties.Runtime): message` */
export function formatIssue(issue: Issue): string {
  const where = [issue.loc ? formatLocation(issue.loc) : undefined, issue.path ? `(${issue.path})` : undefined].filter(Boolean).join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** A single located problem, thrown where continuing makes no sense (e.g. evaluating a broken !Sub). */
export class TemplateError extends Error {
  constructor(message: string, readonly path?: string, readonly loc?: Location) {
    super(message);
    this.name = 'TemplateError';
  }

  toIssue(): Issue {
    return { severity: 'error', message: this.message, path: this.path, loc: this.loc };
  }
}

/** Everything wrong with a template, reported together (deploy changes nothing when there are any). */
export class InvalidTemplateError extends Error {
  constructor(readonly issues: Issue[], readonly file: string) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`${file} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
    this.name = 'InvalidTemplateError';
  }
}

/** Collects issues while checking a whole template, so all of them are reported at once. */
export class Issues {
  readonly list: Issue[] = [];

  error(message: string, path?: string, loc?: Location): void {
    this.list.push({ severity: 'error', message, path, loc });
  }

  warn(message: string, path?: string, loc?: Location): void {
    this.list.push({ severity: 'warning', message, path, loc });
  }

  add(e: unknown): void {
    if (e instanceof TemplateError) this.list.push(e.toIssue());
    else if (e instanceof InvalidTemplateError) this.list.push(...e.issues);
    else throw e;
  }

  /** Runs `fn`, recording a TemplateError it throws instead of propagating it. */
  collect<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.add(e);
      return undefined;
    }
  }

  get errors(): Issue[] {
    return this.list.filter((i) => i.severity === 'error');
  }

  get warnings(): Issue[] {
    return this.list.filter((i) => i.severity === 'warning');
  }

  throwIfErrors(file: string): void {
    if (this.errors.length) throw new InvalidTemplateError(this.list, file);
  }
}

/** The closest of `candidates` to `word` when it is close enough to be a likely typo. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s ? ` (did you mean '${s}'?)` : '';
}
