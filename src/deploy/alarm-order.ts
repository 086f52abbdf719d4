// The order composite alarms are put and deleted in. CloudWatch refuses a composite whose rule
// names an alarm that does not exist, or whose ActionsSuppressor does not exist; it refuses to
// delete an alarm that a composite staying names in its rule. So a composite is put after the
// alarms its rule and suppressor name, and deleted before them. Alarms that name each other in a
// cycle through a suppressor can be put in no order (CloudFormation's circular dependency); a cycle
// through rules alone can only have been made by updates (CloudWatch allows it) and keeps its
// listed order.
import { parseAlarmRule, ruleReferences } from '../cloudwatch/alarm-rule.js';

/** What of an alarm decides its order: a composite's rule and suppressor (a name or an ARN). */
export interface AlarmLinks {
  AlarmName: string;
  AlarmRule?: string;
  ActionsSuppressor?: string;
}

/** The alarm name a reference stands for (an ARN stands for the name it ends with). */
const nameOf = (ref: string) => (ref.startsWith('arn:') ? ref.slice(ref.indexOf(':alarm:') + ':alarm:'.length) : ref);

/** The names a composite's rule references. */
export function ruleAlarmNames(rule: string): string[] {
  try {
    return ruleReferences(parseAlarmRule(rule)).map(nameOf);
  } catch {
    return []; // CloudWatch reports a rule that does not parse
  }
}

const suppressorOf = (a: AlarmLinks) => (a.ActionsSuppressor === undefined ? undefined : nameOf(a.ActionsSuppressor));
const needs = (a: AlarmLinks) => [...(a.AlarmRule === undefined ? [] : ruleAlarmNames(a.AlarmRule)), ...(a.ActionsSuppressor === undefined ? [] : [suppressorOf(a)!])];

/**
 * The alarms in groups that name each other in a cycle (mostly a group of one), every group after
 * the groups it names (Tarjan's strongly connected components), each in its listed order.
 */
function components<T extends AlarmLinks>(alarms: readonly T[]): T[][] {
  const byName = new Map(alarms.map((a) => [a.AlarmName, a]));
  const position = new Map(alarms.map((a, i) => [a, i]));
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const out: T[][] = [];
  const visit = (a: T): void => {
    index.set(a, index.size);
    low.set(a, index.get(a)!);
    stack.push(a);
    onStack.add(a);
    for (const name of needs(a)) {
      const b = byName.get(name);
      if (!b) continue;
      if (!index.has(b)) {
        visit(b);
        low.set(a, Math.min(low.get(a)!, low.get(b)!));
      } else if (onStack.has(b)) {
        low.set(a, Math.min(low.get(a)!, index.get(b)!));
      }
    }
    if (low.get(a) !== index.get(a)) return;
    const group: T[] = [];
    let b: T;
    do {
      b = stack.pop()!;
      onStack.delete(b);
      group.push(b);
    } while (b !== a);
    out.push(group.sort((x, y) => position.get(x)! - position.get(y)!));
  };
  for (const a of alarms) if (!index.has(a)) visit(a);
  return out;
}

/** Alarms in an order they can be put in: each after the listed alarms its rule and suppressor name. */
export function childrenFirst<T extends AlarmLinks>(alarms: readonly T[]): T[] {
  return components(alarms).flat();
}

/** Alarms in an order they can be deleted in: each composite before the alarms its rule and suppressor name. */
export function parentsFirst<T extends AlarmLinks>(alarms: readonly T[]): T[] {
  return components(alarms).reverse().flat();
}

/** The groups of alarms that name each other in a cycle through a suppressor (an alarm its own suppressor is one). */
export function suppressorCycles<T extends AlarmLinks>(alarms: readonly T[]): T[][] {
  return components(alarms).filter((group) => {
    const names = new Set(group.map((a) => a.AlarmName));
    return group.some((a) => names.has(suppressorOf(a) ?? ''));
  });
}
