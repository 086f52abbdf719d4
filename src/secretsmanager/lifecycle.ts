// DeleteSecret (scheduled after a recovery window of 7 to 30 days, or at once), RestoreSecret,
// TagResource and UntagResource.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/secretsmanager.js';
import { updateDocument } from '../store/named-documents.js';
import { forceWithWindow, recoveryWindow, secretNotFound } from './errors.js';
import { findLiveSecret, findSecret, liveDoc, scopeOf, type SecretsDeps } from './resources.js';

const DAY_MS = 86_400_000;

export function lifecycleHandlers(deps: SecretsDeps): HandlerTable<Operations> {
  return {
    async DeleteSecret(input, ctx) {
      if (input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined) throw forceWithWindow();
      const days = input.RecoveryWindowInDays ?? 30;
      if (!input.ForceDeleteWithoutRecovery && (days < 7 || days > 30)) throw recoveryWindow();
      const scope = scopeOf(ctx);
      const found = input.ForceDeleteWithoutRecovery ? await findSecret(deps, scope, input.SecretId) : await findLiveSecret(deps, scope, input.SecretId);
      const now = deps.now();
      if (input.ForceDeleteWithoutRecovery) {
        await deps.store.delete(scope, found.name);
        return { ARN: found.doc.arn, Name: found.name, DeletionDate: new Date(now) };
      }
      const deletionDateMs = now + days * DAY_MS;
      return updateDocument(deps.store, scope, found.name, (current) => ({
        doc: { ...liveDoc(current), deletedMs: now, deletionDateMs },
        result: { ARN: found.doc.arn, Name: found.name, DeletionDate: new Date(deletionDateMs) },
      }));
    },
    async RestoreSecret(input, ctx) {
      const scope = scopeOf(ctx);
      const found = await findSecret(deps, scope, input.SecretId);
      return updateDocument(deps.store, scope, found.name, (current) => {
        if (!current) throw secretNotFound();
        const { deletedMs: _deleted, deletionDateMs: _date, ...doc } = current.doc;
        return { doc, result: { ARN: doc.arn, Name: found.name } };
      });
    },
    async TagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const found = await findLiveSecret(deps, scope, input.SecretId);
      await updateDocument(deps.store, scope, found.name, (current) => {
        const doc = liveDoc(current);
        const merged = new Map(doc.tags.map((t) => [t.Key, t.Value]));
        for (const t of input.Tags) merged.set(t.Key ?? '', t.Value ?? '');
        return { doc: { ...doc, tags: [...merged].map(([Key, Value]) => ({ Key, Value })) }, result: undefined };
      });
    },
    async UntagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const found = await findLiveSecret(deps, scope, input.SecretId);
      await updateDocument(deps.store, scope, found.name, (current) => {
        const doc = liveDoc(current);
        return { doc: { ...doc, tags: doc.tags.filter((t) => !input.TagKeys.includes(t.Key)) }, result: undefined };
      });
    },
  };
}
