// SAM's DeploymentPreference on a function with AutoPublishAlias: which of CodeDeploy's predefined
// Lambda deployment configurations shifts the alias to a newly published version, and the hooks
// that run before and after. The schedule is CodeDeploy's: a canary sends 10% to the new version,
// then the rest after the interval; a linear configuration adds 10% at the start of each interval
// until the new version has it all (100% after nine intervals); AllAtOnce moves at once. Alarms
// listed are watched before and during the shift, as CodeDeploy watches them.
import { TemplateError } from './issues.js';
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import { entry, get, type MapNode, type TNode } from './source.js';
import type { ActiveResource } from './stack-model.js';

interface TrafficConfig {
  /** Shares of traffic (0–1) the new version gets, one per interval, before it gets all of it. */
  steps: number[];
  intervalMinutes: number;
}

const canary = (minutes: number): TrafficConfig => ({ steps: [0.1], intervalMinutes: minutes });
const linear = (minutes: number): TrafficConfig => ({ steps: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], intervalMinutes: minutes });

/** CodeDeploy's predefined Lambda deployment configurations (SAM names them without the CodeDeployDefault.Lambda prefix). */
export const TRAFFIC_CONFIGS: Record<string, TrafficConfig> = {
  Canary10Percent5Minutes: canary(5),
  Canary10Percent10Minutes: canary(10),
  Canary10Percent15Minutes: canary(15),
  Canary10Percent30Minutes: canary(30),
  Linear10PercentEvery1Minute: linear(1),
  Linear10PercentEvery2Minutes: linear(2),
  Linear10PercentEvery3Minutes: linear(3),
  Linear10PercentEvery10Minutes: linear(10),
  AllAtOnce: { steps: [], intervalMinutes: 0 },
};

const CODEDEPLOY_PREFIX = 'CodeDeployDefault.Lambda';

export interface DeploymentPreferenceSpec {
  /** The configuration's name, without CodeDeploy's prefix. */
  type: string;
  steps: number[];
  intervalMs: number;
  /** Hooks.PreTraffic / PostTraffic as written: evaluated when the shift starts, once every function exists. */
  hooks: { PreTraffic?: TNode; PostTraffic?: TNode };
  /** Alarms as written (names, or !Ref to AWS::CloudWatch::Alarm): evaluated when the shift starts; any in ALARM stops it. */
  alarms?: TNode;
  /** Where the preference is, to locate errors found while deploying. */
  path: string;
}

/**
 * The function's DeploymentPreference, or undefined when it has none, it is disabled, or it names
 * no Type (the alias then moves at once). Hooks are not evaluated here: they may name functions
 * deployed after this one.
 */
export function deploymentPreferenceSpec(r: ActiveResource, scope: Scope, alias: string | undefined, warn: (message: string, path: string) => void): DeploymentPreferenceSpec | undefined {
  const e = entry(r.properties, 'DeploymentPreference');
  if (!e) return undefined;
  const node = e.value;
  const fail = (message: string, at: TNode = node): never => {
    throw new TemplateError(message, at.path, at.loc);
  };
  if (node.kind !== 'map') return fail('DeploymentPreference is a map with Type (e.g. Canary10Percent5Minutes), and optionally Enabled and Hooks');
  const enabledNode = get(node, 'Enabled');
  const enabled = enabledNode ? evaluate(enabledNode, scope) : true;
  if (enabled !== true && enabled !== false && enabled !== 'true' && enabled !== 'false' && enabled !== NO_VALUE) fail('DeploymentPreference.Enabled is true or false', enabledNode);
  if (enabled === false || enabled === 'false') return undefined;
  if (alias === undefined) fail('DeploymentPreference needs AutoPublishAlias: it says how the alias moves to each new version');
  const typeNode = get(node, 'Type');
  const type = typeNode ? evaluate(typeNode, scope) : NO_VALUE;
  if (type === NO_VALUE || type === null) {
    warn('DeploymentPreference has no Type, so the alias moves to each new version at once (SAM requires a Type, e.g. Canary10Percent5Minutes)', node.path);
    return undefined;
  }
  const name = typeof type === 'string' && type.startsWith(`${CODEDEPLOY_PREFIX}`) ? type.slice(CODEDEPLOY_PREFIX.length) : type;
  if (typeof name !== 'string' || !Object.hasOwn(TRAFFIC_CONFIGS, name)) {
    fail(`DeploymentPreference.Type ${JSON.stringify(type)} is not one of CodeDeploy's predefined Lambda configurations (${Object.keys(TRAFFIC_CONFIGS).join(', ')}); custom deployment configurations are not supported`, typeNode);
  }
  const config = TRAFFIC_CONFIGS[name as string];
  return {
    type: name as string, steps: config.steps, intervalMs: config.intervalMinutes * 60_000, hooks: hookNodes(get(node, 'Hooks'), fail), alarms: get(node, 'Alarms'), path: node.path,
  };
}

function hookNodes(node: TNode | undefined, fail: (message: string, at?: TNode) => never): DeploymentPreferenceSpec['hooks'] {
  if (!node) return {};
  if (node.kind !== 'map') return fail('DeploymentPreference.Hooks is a map with PreTraffic and/or PostTraffic (a function of the template)', node);
  const hooks: DeploymentPreferenceSpec['hooks'] = {};
  for (const key of ['PreTraffic', 'PostTraffic'] as const) {
    const value = get(node as MapNode, key);
    if (value) hooks[key] = value;
  }
  return hooks;
}

/** DeploymentPreference.Alarms evaluated: alarm names (a !Ref to an AWS::CloudWatch::Alarm or CompositeAlarm gives its name). */
export function alarmNames(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v) || value.length > 10) {
    throw new Error(`DeploymentPreference.Alarms is a list of up to 10 CloudWatch alarm names (or !Ref to AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm resources), got ${JSON.stringify(value)}`);
  }
  return value as string[];
}
