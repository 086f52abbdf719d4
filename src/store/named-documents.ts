// A store of JSON documents keyed by name within an account and region, each write checked against
// the revision it was read at (compare-and-set), so two nodes changing one document never lose a
// write: the loser reads again and retries. SSM parameters (with their whole version history) and
// Secrets Manager secrets (with their versions and staging labels) are stored this way.

export interface DocumentScope {
  accountId: string;
  region: string;
}

export interface Revisioned<T> {
  doc: T;
  /** Grows by one on each replace; `replace` succeeds only at the revision read. */
  revision: number;
}

export interface NamedDocuments<T> {
  get(scope: DocumentScope, name: string): Promise<Revisioned<T> | undefined>;
  /** Inserts a document at revision 1; false when one of the name exists. */
  create(scope: DocumentScope, name: string, doc: T): Promise<boolean>;
  /** Replaces a document still at `revision`; false when it changed (or went) since. */
  replace(scope: DocumentScope, name: string, doc: T, revision: number): Promise<boolean>;
  /** Deletes a document; false when there was none. */
  delete(scope: DocumentScope, name: string): Promise<boolean>;
  /** The scope's documents whose names begin with `prefix` (all without one), by name in code-point order. */
  list(scope: DocumentScope, prefix?: string): Promise<{ name: string; doc: T }[]>;
}

/** Reads, changes and writes a document until no other writer came between (no `doc`: nothing to write); answers `result`. */
export async function updateDocument<T, R>(store: NamedDocuments<T>, scope: DocumentScope, name: string,
  change: (current: Revisioned<T> | undefined) => { doc?: T; result: R } | Promise<{ doc?: T; result: R }>): Promise<R> {
  for (;;) {
    const current = await store.get(scope, name);
    const next = await change(current);
    if (!next.doc) return next.result;
    const written = current ? await store.replace(scope, name, next.doc, current.revision) : await store.create(scope, name, next.doc);
    if (written) return next.result;
  }
}
