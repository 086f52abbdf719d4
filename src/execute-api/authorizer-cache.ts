// Lambda authorizer results cached per stage, as API Gateway caches them: keyed by the authorizer
// and the request's identity (the token, or every identity source of a REQUEST authorizer), kept
// for the authorizer's TTL. The policy is cached, not the decision, so a cached result is still
// evaluated against each request's method ARN (AWS's documented behaviour with narrow policies).
// FlushStageAuthorizersCache drops a stage's entries. The cache lives in this process: in a
// cluster each node keeps its own, which only means more authorizer calls, never wrong answers.

/** What a Lambda authorizer answered, parsed. */
export interface AuthorizerOutput {
  principalId?: string;
  /** The policy document as the function returned it (TestInvokeAuthorizer shows it). */
  policyDocument: unknown;
  statements: readonly import('./iam-policy.js').PolicyStatement[];
  /** The `context` map with values as strings (or null), as integrations see them. */
  context: Readonly<Record<string, string | null>>;
  usageIdentifierKey?: string;
}

const MAX_ENTRIES = 10_000;

/** `T`: what one kind of API keeps per identity (REST APIs: the function's answer; HTTP APIs their own verdicts). */
export class AuthorizerCache<T = AuthorizerOutput> {
  readonly #entries = new Map<string, { expires: number; output: T }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static key(apiId: string, stageName: string, parts: readonly string[]): string {
    return `${apiId}/${stageName}\u0000${parts.join('\u0000')}`;
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.output;
  }

  set(key: string, output: T, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { expires: this.#now() + ttlSeconds * 1000, output });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Drops every cached result of one stage. */
  flushStage(apiId: string, stageName: string): void {
    const prefix = `${apiId}/${stageName}\u0000`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
