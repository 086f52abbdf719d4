// GetParameterHistory, LabelParameterVersion and UnlabelParameterVersion: a parameter's versions
// and the labels that point at them (a label names one version at a time, and moves).
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/ssm.js';
import type { StoredParameter } from '../store/ssm-store.js';
import { updateDocument } from '../store/named-documents.js';
import { labelLimit, parameterNotFound, versionNotFound } from './errors.js';
import { isInvalidLabel, parseReference } from './names.js';
import { current, historyView, page, scopeOf, type SsmDeps } from './resources.js';

const MAX_LABELS = 10;

/** The stored name a Name member refers to (name or ARN; no selector allowed here). */
async function existingName(deps: SsmDeps, scope: ReturnType<typeof scopeOf>, text: string): Promise<string> {
  for (const name of parseReference(scope, text).names) if (await deps.store.get(scope, name)) return name;
  throw parameterNotFound();
}

export function historyHandlers(deps: SsmDeps): HandlerTable<Operations> {
  return {
    async GetParameterHistory(input, ctx) {
      const scope = scopeOf(ctx);
      const name = await existingName(deps, scope, input.Name);
      const found = await deps.store.get(scope, name);
      if (!found) throw parameterNotFound();
      const { items, NextToken } = page(found.doc.versions, (v) => String(v.version).padStart(12, '0'), input.MaxResults ?? 50, input.NextToken);
      return { Parameters: items.map((v) => historyView(name, v, input.WithDecryption === true)), ...(NextToken ? { NextToken } : {}) };
    },
    async LabelParameterVersion(input, ctx) {
      const scope = scopeOf(ctx);
      const name = await existingName(deps, scope, input.Name);
      const labels = [...new Set(input.Labels)];
      const InvalidLabels = labels.filter(isInvalidLabel);
      const valid = labels.filter((l) => !isInvalidLabel(l));
      return updateDocument(deps.store, scope, name, (found) => {
        if (!found) throw parameterNotFound();
        const target = input.ParameterVersion ?? current(found.doc).version;
        if (!found.doc.versions.some((v) => v.version === target)) throw versionNotFound(name, String(target));
        const versions = found.doc.versions.map((v) => v.version === target
          ? { ...v, labels: [...v.labels, ...valid.filter((l) => !v.labels.includes(l))] }
          : { ...v, labels: v.labels.filter((l) => !valid.includes(l)) });
        if (versions.find((v) => v.version === target)!.labels.length > MAX_LABELS) throw labelLimit();
        const doc: StoredParameter = { ...found.doc, versions };
        return { doc, result: { InvalidLabels, ParameterVersion: target } };
      });
    },
    async UnlabelParameterVersion(input, ctx) {
      const scope = scopeOf(ctx);
      const name = await existingName(deps, scope, input.Name);
      return updateDocument(deps.store, scope, name, (found) => {
        if (!found) throw parameterNotFound();
        const version = found.doc.versions.find((v) => v.version === input.ParameterVersion);
        if (!version) throw versionNotFound(name, String(input.ParameterVersion));
        const labels = [...new Set(input.Labels)];
        const RemovedLabels = labels.filter((l) => version.labels.includes(l));
        const InvalidLabels = labels.filter((l) => !version.labels.includes(l));
        const versions = found.doc.versions.map((v) => (v === version ? { ...v, labels: v.labels.filter((l) => !RemovedLabels.includes(l)) } : v));
        return { doc: { ...found.doc, versions }, result: { RemovedLabels, InvalidLabels } };
      });
    },
  };
}
