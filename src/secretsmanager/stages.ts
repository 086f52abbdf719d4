// UpdateSecretVersionStage: moves a staging label between versions by hand (what rotation does),
// naming the version that loses it; AWSCURRENT moving leaves AWSPREVIOUS on the version it left.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/secretsmanager.js';
import { updateDocument } from '../store/named-documents.js';
import { invalidParameter } from './errors.js';
import { CURRENT, findLiveSecret, liveDoc, PREVIOUS, scopeOf, type SecretsDeps } from './resources.js';

export function stageHandlers(deps: SecretsDeps): HandlerTable<Operations> {
  return {
    async UpdateSecretVersionStage(input, ctx) {
      const scope = scopeOf(ctx);
      const found = await findLiveSecret(deps, scope, input.SecretId);
      const stage = input.VersionStage;
      return updateDocument(deps.store, scope, found.name, (current) => {
        const doc = liveDoc(current);
        const holder = doc.versions.find((v) => v.stages.includes(stage));
        if (input.MoveToVersionId !== undefined && !doc.versions.some((v) => v.versionId === input.MoveToVersionId)) {
          throw invalidParameter(`Not a valid version: ${input.MoveToVersionId}`);
        }
        if (input.RemoveFromVersionId !== undefined && holder?.versionId !== input.RemoveFromVersionId) {
          throw invalidParameter('The staging label is not attached to the version specified in RemoveFromVersionId.');
        }
        if (holder && input.MoveToVersionId !== undefined && holder.versionId !== input.MoveToVersionId && input.RemoveFromVersionId === undefined) {
          throw invalidParameter(`The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, `
            + 'so you must explicitly reference that version in RemoveFromVersionId.');
        }
        const movesCurrent = stage === CURRENT && holder !== undefined && input.MoveToVersionId !== undefined && holder.versionId !== input.MoveToVersionId;
        const versions = doc.versions.map((v) => {
          let stages = v.versionId === input.RemoveFromVersionId ? v.stages.filter((s) => s !== stage) : v.stages;
          if (v.versionId === input.MoveToVersionId && !stages.includes(stage)) stages = [...stages, stage];
          if (movesCurrent) stages = v === holder ? [...stages.filter((s) => s !== PREVIOUS), PREVIOUS] : stages.filter((s) => s !== PREVIOUS);
          return { ...v, stages };
        });
        return { doc: { ...doc, versions, lastChangedMs: deps.now() }, result: { ARN: doc.arn, Name: found.name } };
      });
    },
  };
}
