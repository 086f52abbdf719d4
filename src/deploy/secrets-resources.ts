// A template's AWS::SecretsManager::Secret resources in Stagecraft's Secrets Manager. A secret is
// created with its SecretString, or one GetRandomPassword makes (GenerateSecretString, placed under
// GenerateStringKey in SecretStringTemplate when given), its tags and the stack's mark; existing,
// its description, tags and a changed SecretString are set in place (a generated value is kept, as
// CloudFormation keeps it while GenerateSecretString is unchanged). Ref is the ARN the service gave.
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, ListSecretsCommand, PutSecretValueCommand,
  TagResourceCommand, UntagResourceCommand, UpdateSecretCommand, type DescribeSecretCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { awsErrorType } from './errors.js';
import { markedTags, ownership, STACK_TAG_KEYS, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';

const flag = (v: unknown) => (v === undefined ? undefined : v === true || v === 'true');

/** The value GenerateSecretString describes, made by the service's GetRandomPassword. */
export async function generatedSecret(ctx: ServiceContext, spec: Props): Promise<string> {
  const password = (await ctx.clients.secrets.send(new GetRandomPasswordCommand({
    PasswordLength: spec.PasswordLength === undefined ? undefined : Number(spec.PasswordLength), ExcludeCharacters: text(spec.ExcludeCharacters),
    ExcludeNumbers: flag(spec.ExcludeNumbers), ExcludePunctuation: flag(spec.ExcludePunctuation), ExcludeUppercase: flag(spec.ExcludeUppercase),
    ExcludeLowercase: flag(spec.ExcludeLowercase), IncludeSpace: flag(spec.IncludeSpace), RequireEachIncludedType: flag(spec.RequireEachIncludedType),
  }))).RandomPassword ?? '';
  if (spec.SecretStringTemplate === undefined && spec.GenerateStringKey === undefined) return password;
  if (spec.SecretStringTemplate === undefined || spec.GenerateStringKey === undefined) {
    throw new Error('GenerateSecretString needs both SecretStringTemplate and GenerateStringKey, or neither');
  }
  const template = JSON.parse(String(spec.SecretStringTemplate)) as Record<string, unknown>;
  return JSON.stringify({ ...template, [String(spec.GenerateStringKey)]: password });
}

async function describe(ctx: ServiceContext, name: string): Promise<DescribeSecretCommandOutput | undefined> {
  try {
    return await ctx.clients.secrets.send(new DescribeSecretCommand({ SecretId: name }));
  } catch (e) {
    if (awsErrorType(e) === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** Creates or updates the secret; its ARN. */
export async function syncSecret(ctx: ServiceContext, r: WantedResource): Promise<string> {
  if (r.props.SecretString !== undefined && r.props.GenerateSecretString !== undefined) throw new Error(`${r.logicalId}: SecretString and GenerateSecretString can't both be given`);
  const tags = markedTags(ctx.stackName, r.retain, r.props.Tags);
  const description = text(r.props.Description);
  const now = await describe(ctx, r.name);
  if (!now || now.DeletedDate) {
    // One scheduled for deletion (a retained one's name reused) is gone for good first, as its name is wanted now.
    if (now?.DeletedDate) await ctx.clients.secrets.send(new DeleteSecretCommand({ SecretId: now.ARN, ForceDeleteWithoutRecovery: true }));
    const value = r.props.SecretString !== undefined ? String(r.props.SecretString)
      : await generatedSecret(ctx, (r.props.GenerateSecretString ?? {}) as Props);
    const created = await ctx.clients.secrets.send(new CreateSecretCommand({ Name: r.name, Description: description, SecretString: value, Tags: tags }));
    ctx.log.report({ subject: r.logicalId, kind: 'created', message: `secret ${r.name}` });
    return created.ARN!;
  }
  let changed = false;
  if ((now.Description ?? undefined) !== description) {
    await ctx.clients.secrets.send(new UpdateSecretCommand({ SecretId: now.ARN, Description: description ?? '' }));
    changed = true;
  }
  if (r.props.SecretString !== undefined) {
    const value = String(r.props.SecretString);
    const stored = (await ctx.clients.secrets.send(new GetSecretValueCommand({ SecretId: now.ARN }))).SecretString;
    if (stored !== value) {
      await ctx.clients.secrets.send(new PutSecretValueCommand({ SecretId: now.ARN, SecretString: value }));
      changed = true;
    }
  }
  const before = Object.fromEntries((now.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
  const want = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  const gone = Object.keys(before).filter((k) => !(k in want));
  const retag = tags.filter((t) => before[t.Key] !== t.Value);
  if (gone.length) await ctx.clients.secrets.send(new UntagResourceCommand({ SecretId: now.ARN, TagKeys: gone }));
  if (retag.length) await ctx.clients.secrets.send(new TagResourceCommand({ SecretId: now.ARN, Tags: retag }));
  ctx.log.report({ subject: r.logicalId, kind: changed || gone.length || retag.length ? 'updated' : 'unchanged', message: `secret ${r.name}` });
  return now.ARN!;
}

/** The stack's secrets not in `keep` (by name): deleted at once (no recovery window, as CloudFormation), or, retained, no longer marked. */
export async function removeStaleSecrets(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  let NextToken: string | undefined;
  const secrets = [];
  do {
    const page = await ctx.clients.secrets.send(new ListSecretsCommand({ NextToken, MaxResults: 100 }));
    secrets.push(...(page.SecretList ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  for (const s of secrets) {
    if (keep.has(s.Name!)) continue;
    const own = ownership(Object.fromEntries((s.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])), ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.secrets.send(new UntagResourceCommand({ SecretId: s.ARN, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.secrets.send(new DeleteSecretCommand({ SecretId: s.ARN, ForceDeleteWithoutRecovery: true }));
    ctx.log.report({ subject: 'Secrets', kind: 'removed', message: `secret ${s.Name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    removed.push(s.Name!);
  }
  return removed;
}
