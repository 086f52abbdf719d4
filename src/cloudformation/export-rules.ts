// CloudFormation's rules for a stack's exports (Outputs with Export: Name) and imports
// (Fn::ImportValue), with its wording: in a region an export name belongs to one stack; an export
// another stack imports can't be deleted or changed; an import names an existing export. The
// server checks them when a deploy records a stack's exports; the deploy checks them before it
// changes anything (values not known yet are not compared).
import type { StackExport } from '../store/stack-exports-store.js';

export interface WantedExport {
  name: string;
  /** Undefined while the value is not known yet (before the stack's resources are deployed). */
  value?: string;
}

/** What CloudFormation would refuse, one message each; none when the stack may have these exports and imports. */
export function exportViolations(current: readonly StackExport[], stackName: string, exports: readonly WantedExport[], imports: readonly string[]): string[] {
  const out: string[] = [];
  const byName = new Map(current.map((e) => [e.name, e]));
  const otherImporters = (e: StackExport) => e.importers.filter((s) => s !== stackName);
  const seen = new Set<string>();
  for (const e of exports) {
    if (seen.has(e.name)) out.push(`Template format error: Output export names must be unique: ${e.name}`);
    seen.add(e.name);
    const have = byName.get(e.name);
    if (have && have.stackName !== stackName) out.push(`Export with name ${e.name} is already exported by stack ${have.stackName}`);
    else if (have && e.value !== undefined && have.value !== e.value && otherImporters(have).length) {
      out.push(`Export ${e.name} cannot be updated as it is in use by ${otherImporters(have).join(', ')}`);
    }
  }
  for (const have of current) {
    if (have.stackName === stackName && !seen.has(have.name) && otherImporters(have).length) {
      out.push(`Export ${have.name} cannot be deleted as it is in use by ${otherImporters(have).join(', ')}`);
    }
  }
  for (const name of imports) if (!byName.has(name)) out.push(`No export named ${name} found`);
  return out;
}

