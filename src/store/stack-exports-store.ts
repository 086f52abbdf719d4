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

export type ReplaceOutcome = 'recorded' | 'taken';

export interface StackExportsStore {
  /** The region's exports, by name. */
  list(region: string): Promise<StackExport[]>;
  /** The stacks of the region that import something, with what they import. */
  imports(region: string): Promise<{ stackName: string; exportName: string }[]>;
  /**
   * Makes the stack's exports and imports exactly these, in one transaction. The database holds an
   * export name of a region to one stack (its primary key): when another stack has one of the names
   * nothing changes and the answer is 'taken', so of two nodes recording one name at once exactly
   * one wins.
   */
  replace(region: string, stackName: string, exports: readonly { name: string; value: string }[], imports: readonly string[]): Promise<ReplaceOutcome>;
}
