// CloudFormation's dynamic references (`{{resolve:ssm:name[:version]}}`, `{{resolve:ssm-secure:…}}`,
// `{{resolve:secretsmanager:secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]}}`)
// and template parameters of type `AWS::SSM::Parameter::Value<…>`: read from the server's Parameter
// Store and Secrets Manager before the deploy, as CloudFormation does when it starts one, then
// substituted wherever a string (literal, Fn::Sub or Fn::Join result) holds one.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConnectionSettings } from './clients.js';
import { awsErrorType, describeAwsError } from './errors.js';
import { TemplateError, type Issues } from './issues.js';
import { get, type TNode } from './source.js';
import { SSM_PARAMETER_TYPES } from './spec.js';
import type { Template } from './template.js';

const REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]+)\}\}/g;


/** Reads a parameter's or a secret's value from the server. */
export interface ValueSource {
  parameter(name: string, version?: string, decrypt?: boolean): Promise<string | undefined>;
  secret(id: string, stage?: string, versionId?: string): Promise<string>;
}

/** The server's Parameter Store and Secrets Manager as a ValueSource (clients closed by `close`). */
export function serverValues(settings: ConnectionSettings): ValueSource & { close(): void } {
  const config = { endpoint: settings.endpoint, region: settings.region, credentials: settings.credentials, maxAttempts: 2 };
  const ssm = new SSMClient(config);
  const secrets = new SecretsManagerClient(config);
  return {
    async parameter(name, version, decrypt) {
      try {
        return (await ssm.send(new GetParameterCommand({ Name: version ? `${name}:${version}` : name, WithDecryption: decrypt }))).Parameter?.Value;
      } catch (e) {
        if (awsErrorType(e) === 'ParameterNotFound' || awsErrorType(e) === 'ParameterVersionNotFound') return undefined;
        throw e;
      }
    },
    async secret(id, stage, versionId) {
      return (await secrets.send(new GetSecretValueCommand({ SecretId: id, VersionStage: versionId ? undefined : stage, VersionId: versionId }))).SecretString ?? '';
    },
    close() {
      ssm.destroy();
      secrets.destroy();
    },
  };
}

/** Every dynamic reference written in the node's strings. */
export function collectReferences(node: TNode | undefined, out = new Set<string>()): Set<string> {
  if (!node) return out;
  if (node.kind === 'scalar') {
    if (typeof node.value === 'string') for (const m of node.value.matchAll(REFERENCE)) out.add(m[0]);
  } else if (node.kind === 'seq') node.items.forEach((i) => collectReferences(i, out));
  else node.entries.forEach((e) => collectReferences(e.value, out));
  return out;
}

/** A secretsmanager reference's parts; the secret ID may be an ARN (itself full of colons). */
export function secretReference(body: string): { id: string; key?: string; stage?: string; versionId?: string; field?: string } {
  const parts = body.split(':');
  const idParts = body.startsWith('arn:') ? 7 : 1;
  const [field, key, stage, versionId] = parts.slice(idParts).map((p) => p || undefined);
  return { id: parts.slice(0, idParts).join(':'), field, key, stage, versionId };
}

/** Fetches every reference's value; an unknown parameter or secret fails the deploy with CloudFormation's message. */
export async function fetchReferences(references: Iterable<string>, source: ValueSource): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const ref of references) {
    const [, service, body] = /^\{\{resolve:([^:]+):(.*)\}\}$/s.exec(ref)!;
    if (service === 'secretsmanager') {
      const r = secretReference(body);
      if (r.field !== undefined && r.field !== 'SecretString') throw new Error(`dynamic reference ${ref}: the second segment must be SecretString`);
      let text: string;
      try {
        text = await source.secret(r.id, r.stage, r.versionId);
      } catch (e) {
        throw new Error(`dynamic reference ${ref}: ${describeAwsError(e)}`);
      }
      if (r.key === undefined) out.set(ref, text);
      else {
        let value: unknown;
        try {
          value = (JSON.parse(text) as Record<string, unknown>)[r.key];
        } catch {
          throw new Error(`dynamic reference ${ref}: the secret's SecretString is not JSON, so it has no key ${r.key}`);
        }
        if (value === undefined) throw new Error(`dynamic reference ${ref}: the secret's SecretString has no key ${r.key}`);
        out.set(ref, typeof value === 'string' ? value : JSON.stringify(value));
      }
      continue;
    }
    const version = /^(.*):(\d+)$/.exec(body);
    const name = version ? version[1] : body;
    const value = await source.parameter(name, version?.[2], service === 'ssm-secure');
    if (value === undefined) missing.push(`${service}:${body}`);
    else out.set(ref, value);
  }
  if (missing.length) throw new Error(`Parameters: [${missing.join(', ')}] cannot be found.`);
  return out;
}

/** The text with its dynamic references replaced by their fetched values. */
export function substituteDynamic(text: string, values: ReadonlyMap<string, string>, node: TNode): string {
  if (!text.includes('{{resolve:')) return text;
  return text.replace(REFERENCE, (ref) => {
    const v = values.get(ref);
    if (v === undefined) throw new TemplateError(`dynamic reference ${ref} was not read before the deploy (it is built by an intrinsic function from values known only while deploying)`, node.path, node.loc);
    return v;
  });
}

/**
 * The values of the template's SSM-typed parameters (by parameter name), read from Parameter Store
 * under the names given (override or Default); one that does not exist fails as on CloudFormation.
 */
export async function fetchSsmParameters(params: { name: string; type: string; given?: string }[], source: ValueSource): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const p of params) {
    if (!SSM_PARAMETER_TYPES.includes(p.type) || p.given === undefined) continue;
    const value = await source.parameter(p.given);
    if (value === undefined) missing.push(p.given);
    else out.set(p.name, value);
  }
  if (missing.length) throw new Error(`Unable to fetch parameters [${missing.join(',')}] from parameter store for this account.`);
  return out;
}

/**
 * What the template's SSM-typed parameters and dynamic references stand for on the server, read
 * with `source`; an Error (CloudFormation's message) when one can't be found.
 */
export async function fetchTemplateValues(template: Template, overrides: Record<string, string>, source: ValueSource): Promise<{ ssm: Map<string, string>; dynamic: Map<string, string> }> {
  const params = template.parameters.map((p) => {
    const d = get(p.node, 'Default');
    return { name: p.name, type: p.type, given: overrides[p.name] ?? (d?.kind === 'scalar' && d.value !== null ? String(d.value) : undefined) };
  });
  const refs = new Set<string>();
  for (const r of template.resources) collectReferences(r.properties, refs);
  for (const o of template.outputs) [o.value, o.description, o.exportName].forEach((n) => collectReferences(n, refs));
  for (const g of Object.values(template.globals)) collectReferences(g, refs);
  return { ssm: await fetchSsmParameters(params, source), dynamic: await fetchReferences(refs, source) };
}

const describeFetchError = (e: unknown) => (e instanceof Error && !awsErrorType(e) ? e.message : describeAwsError(e));

/** fetchTemplateValues while loading a stack: a failure is the template's error; without `source` (offline checks) nothing is read. */
export async function templateValues(template: Template, overrides: Record<string, string>, source: ValueSource | undefined, issues: Issues, file: string) {
  if (!source) return undefined;
  try {
    return await fetchTemplateValues(template, overrides, source);
  } catch (e) {
    issues.error(describeFetchError(e));
    issues.throwIfErrors(file);
    return undefined;
  }
}
