// How a deploy tells the world what it does, one line per step. The CLI prints these; tests and
// --json collect them.

export type ChangeKind = 'created' | 'updated' | 'published' | 'moved' | 'removed' | 'unchanged';

export interface Change {
  /** Logical ID (or stack-level subject) the step is about. */
  subject: string;
  kind: ChangeKind;
  message: string;
}

export interface DeployPlan {
  stackName: string;
  templateFile: string;
  projectFile?: string;
  /** Logical IDs of everything the deploy will report on. */
  subjects: string[];
}

export interface Progress {
  /** The deploy is about to start changing things. */
  begin?(plan: DeployPlan): void;
  /** Something was looked at and changed, or found as wanted. */
  report(change: Change): void;
  /** Something the user should know or do (e.g. an alias a stage calls doesn't exist yet). */
  note(message: string): void;
  warn(message: string): void;
}

/** Collects changes; optionally forwards them (to the terminal). */
export class ChangeLog implements Progress {
  readonly changes: Change[] = [];
  readonly notes: string[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly forward?: Progress) {}

  begin(plan: DeployPlan): void {
    this.forward?.begin?.(plan);
  }

  report(change: Change): void {
    this.changes.push(change);
    this.forward?.report(change);
  }

  note(message: string): void {
    this.notes.push(message);
    this.forward?.note(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.forward?.warn(message);
  }

  get changed(): Change[] {
    return this.changes.filter((c) => c.kind !== 'unchanged');
  }
}
