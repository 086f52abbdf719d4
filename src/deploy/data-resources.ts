// Putting a template's tables, parameters and secrets into Stagecraft's DynamoDB, Parameter Store
// and Secrets Manager. They go before the functions (whose environments name them: a secret's Ref
// is the ARN the service gives, a table's StreamArn names the stream's real label), except those
// that refer to a function or an API, which go after them; then the stack's ones the template no
// longer has are removed. Each carries the stack's mark (service-clients.ts) as queues do.
import { describeAwsError } from './errors.js';
import { evaluateValue, referencedNames, type Scope } from './intrinsics.js';
import { otherContext, physicalName } from './other-resources.js';
import { createServiceClients, destroyServiceClients, type Props } from './service-clients.js';
import { DATA_TYPES, DYNAMODB_TABLE_TYPE, SECRET_TYPE, SIMPLE_TABLE_TYPE, SSM_PARAMETER_TYPE, type ServiceContext, type WantedResource } from './service-resource.js';
import type { ServiceDeploy, ServiceResourceEntry } from './service-resources.js';
import { dependencyOrder } from './service-resources.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { retains } from './template.js';
import { removeStaleTables, syncTable } from './dynamodb-resources.js';
import { removeStaleParameters, syncParameter } from './ssm-resources.js';
import { removeStaleSecrets, syncSecret } from './secrets-resources.js';

/** The names put so far, by kind: what pruning keeps. */
export interface DataKept { tables: Set<string>; parameters: Set<string>; secrets: Set<string> }

export const noneKept = (): DataKept => ({ tables: new Set(), parameters: new Set(), secrets: new Set() });

/** The template's data resources, those naming a function, API or layer (deployed by deploy.ts) apart: they wait for them. */
export function dataResources(model: StackModel): { early: ActiveResource[]; late: ActiveResource[] } {
  const all = dependencyOrder([...model.others.values()].filter((r) => DATA_TYPES.includes(r.def.type)));
  const late = new Set<string>();
  for (const r of all) {
    const names = new Set<string>(r.def.dependsOn);
    referencedNames(r.properties, names);
    if ([...names].some((n) => model.byId.has(n.split('.')[0]) || late.has(n.split('.')[0]))) late.add(r.def.logicalId);
  }
  return { early: all.filter((r) => !late.has(r.def.logicalId)), late: all.filter((r) => late.has(r.def.logicalId)) };
}

/** Puts the resources (in order), recording what their references give once they exist; the entries a server-side stack lists. */
export async function putDataResources(d: ServiceDeploy, model: StackModel, scope: Scope, resources: ActiveResource[], kept: DataKept): Promise<ServiceResourceEntry[]> {
  const clients = createServiceClients(d.settings);
  const ctx: ServiceContext = { clients, stackName: d.stackName, region: model.identity.region, accountId: model.identity.accountId, log: d.log, step: d.step };
  const put: ServiceResourceEntry[] = [];
  try {
    for (const a of resources) {
      const id = a.def.logicalId;
      const r: WantedResource = {
        logicalId: id, type: a.def.type, props: evaluateValue(a.properties, scope) as Props, retain: retains(a.def.deletionPolicy),
        name: physicalName(otherContext(model.identity, id, a.def.type, a.properties, scope)),
      };
      if (r.type === DYNAMODB_TABLE_TYPE || r.type === SIMPLE_TABLE_TYPE) {
        const t = await d.step(id, `putting table ${r.name}`, () => syncTable(ctx, r));
        if (t.streamArn) model.deployedAttributes.set(`${id}.StreamArn`, t.streamArn);
        model.deployedAttributes.set(`${id}.Arn`, t.arn);
        kept.tables.add(r.name);
      } else if (r.type === SSM_PARAMETER_TYPE) {
        await d.step(id, `putting parameter ${r.name}`, () => syncParameter(ctx, r));
        kept.parameters.add(r.name);
      } else if (r.type === SECRET_TYPE) {
        const arn = await d.step(id, `putting secret ${r.name}`, () => syncSecret(ctx, r));
        model.deployedRefs.set(id, arn);
        model.deployedAttributes.set(`${id}.Id`, arn);
        kept.secrets.add(r.name);
      }
      put.push({ logicalId: id, physicalId: r.type === SECRET_TYPE ? model.deployedRefs.get(id)! : r.name, type: r.type });
    }
    return put;
  } finally {
    destroyServiceClients(clients);
  }
}

/** Removes the stack's tables, parameters and secrets not kept; a failure is a warning, as CloudFormation's cleanup. */
export async function pruneDataResources(d: ServiceDeploy, model: StackModel, kept: DataKept): Promise<void> {
  const clients = createServiceClients(d.settings);
  const ctx: ServiceContext = { clients, stackName: d.stackName, region: model.identity.region, accountId: model.identity.accountId, log: d.log, step: d.step };
  const prune = (what: string, fn: () => Promise<unknown>) => fn().catch((e: unknown) => d.log.warn(`removing ${what} the template no longer has failed: ${describeAwsError(e)}`));
  try {
    await prune('secrets', () => removeStaleSecrets(ctx, kept.secrets));
    await prune('parameters', () => removeStaleParameters(ctx, kept.parameters));
    await prune('tables', () => removeStaleTables(ctx, kept.tables));
  } finally {
    destroyServiceClients(clients);
  }
}

/** A deploy's tables, parameters and secrets: `start` puts those the functions may name, `finish` the rest, then prunes. */
export class DataDeploy {
  private readonly kept = noneKept();
  private constructor(private readonly d: ServiceDeploy, private readonly model: StackModel, private readonly scope: Scope,
    private readonly late: ActiveResource[], private readonly put: ServiceResourceEntry[]) {}

  static async start(d: ServiceDeploy, model: StackModel, scope: Scope): Promise<DataDeploy> {
    const { early, late } = dataResources(model);
    const deploy = new DataDeploy(d, model, scope, late, []);
    deploy.put.push(...await putDataResources(d, model, scope, early, deploy.kept));
    return deploy;
  }

  /** The rest put and the stack's others removed; every entry put. */
  async finish(): Promise<ServiceResourceEntry[]> {
    this.put.push(...await putDataResources(this.d, this.model, this.scope, this.late, this.kept));
    await pruneDataResources(this.d, this.model, this.kept);
    return this.put;
  }
}

/** A stack delete's removals of its tables, parameters and secrets, for deleteServiceResources. */
export const dataDeletions = (ctx: ServiceContext): [string, () => Promise<unknown>][] => {
  const none = new Set<string>();
  return [
    ['Secrets', () => removeStaleSecrets(ctx, none)],
    ['Parameters', () => removeStaleParameters(ctx, none)],
    ['Tables', () => removeStaleTables(ctx, none)],
  ];
};
