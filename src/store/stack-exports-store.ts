// CloudFormation-style stack exports (Outputs with Export: Name) and who imports them
// (Fn::ImportValue), as `stagecraft deploy` records them: per region, an export name belongs to
// one stack. Kept in the store so every node of a cluster (and every later deploy) sees them;
// src/cloudformation/stack-exports.ts applies CloudFormation's rules on top.
export interface StackExport {
  name: string;
  value: string;
  stackName: string;
  /** The stacks whose templates import it. */
  importers: string[];
}

/** CloudFormation's refusals of a record given the region's exports as they are: none when it may be written. */
export type RecordCheck = (current: readonly StackExport[]) => string[];

/** 'taken': a unique name another writer holds (one that checks outside the region's lock); `refused`: what the check said. */
export type ReplaceOutcome = 'recorded' | 'taken' | { refused: string[] };

export interface StackExportsStore {
  /** The region's exports, by name. */
  list(region: string): Promise<StackExport[]>;
  /** The stacks of the region that import something, with what they import. */
  imports(region: string): Promise<{ stackName: string; exportName: string }[]>;
  /**
   * Makes the stack's exports and imports exactly these, in one transaction. The database holds an
   * export name of a region to one stack (its primary key): when another stack has one of the names
   * nothing changes and the answer is 'taken', so of two nodes recording one name at once exactly
   * one wins. `check` reads the region's exports in that transaction, after every other check and
   * write of the region (one writer at a time: SQLite's write lock, PostgreSQL's advisory lock on
   * the region), so nothing changes between what it saw and the write; refused, nothing changes.
   */
  replace(region: string, stackName: string, exports: readonly { name: string; value: string }[], imports: readonly string[], check?: RecordCheck): Promise<ReplaceOutcome>;
}
