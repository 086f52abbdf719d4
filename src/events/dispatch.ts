// Routing an event on a bus: matched against the bus's enabled rules with event patterns (patterns
// compiled once per text), then handed to each matched rule's targets after their input
// transformation (each tried, and retried, by TargetRetries). A scheduled rule's tick goes straight
// to its own targets.
import type { EventsScope, EventsStore, StoredRule } from '../store/events-store.js';
import type { TargetRetries } from './target-retries.js';
import type { EventEnvelope } from './envelope.js';
import { compileEventPattern, matchesPattern, type CompiledPattern } from './event-pattern.js';
import { targetInput } from './input-transform.js';
import { ruleArn } from './resources.js';

const MAX_COMPILED = 1000;

export class EventDispatcher {
  readonly #compiled = new Map<string, CompiledPattern>();

  constructor(readonly store: EventsStore, readonly retries: TargetRetries) {}

  /** Puts an event on a bus: every enabled rule it matches sends it to its targets. Resolves once each delivery is handed over. */
  async putEvent(scope: EventsScope, busName: string, event: EventEnvelope): Promise<void> {
    const rules = (await this.store.listRules(scope, busName)).filter((r) => r.state === 'ENABLED' && r.eventPattern !== undefined);
    await Promise.all(rules.filter((r) => matchesPattern(this.#pattern(r.eventPattern!), event)).map((r) => this.sendToTargets(scope, r, event)));
  }

  /** Sends an event to a rule's targets; a target that fails is retried by its RetryPolicy, or its event goes to its dead-letter queue (target-retries.ts). */
  async sendToTargets(scope: EventsScope, rule: StoredRule, event: EventEnvelope): Promise<void> {
    const arn = ruleArn(scope, rule.busName, rule.name);
    const targets = await this.store.listTargets(scope, rule.busName, rule.name);
    await Promise.all(targets.map((target) => this.retries.deliver({ scope, ruleArn: arn, target, payload: targetInput(target, event, arn, rule.name), event })));
  }

  #pattern(text: string): CompiledPattern {
    let p = this.#compiled.get(text);
    if (!p) {
      if (this.#compiled.size >= MAX_COMPILED) this.#compiled.clear();
      p = compileEventPattern(text);
      this.#compiled.set(text, p);
    }
    return p;
  }
}
