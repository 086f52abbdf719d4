// Routing an event on a bus: matched against the bus's enabled rules with event patterns (patterns
// compiled once per text), then handed to each matched rule's targets after their input
// transformation. A scheduled rule's tick goes straight to its own targets.
import { logger } from '../core/logger.js';
import type { EventsScope, EventsStore, StoredRule } from '../store/events-store.js';
import type { StoredTarget } from '../store/events-store.js';
import { deadLetterAttributes } from './dead-letters.js';
import type { DeliveryTargets } from './delivery-targets.js';
import type { EventEnvelope } from './envelope.js';
import { compileEventPattern, matchesPattern, type CompiledPattern } from './event-pattern.js';
import { targetInput } from './input-transform.js';
import { ruleArn } from './resources.js';

const MAX_COMPILED = 1000;

export class EventDispatcher {
  readonly #compiled = new Map<string, CompiledPattern>();

  constructor(readonly store: EventsStore, readonly targets: DeliveryTargets) {}

  /** Puts an event on a bus: every enabled rule it matches sends it to its targets. Resolves once each delivery is handed over. */
  async putEvent(scope: EventsScope, busName: string, event: EventEnvelope): Promise<void> {
    const rules = (await this.store.listRules(scope, busName)).filter((r) => r.state === 'ENABLED' && r.eventPattern !== undefined);
    await Promise.all(rules.filter((r) => matchesPattern(this.#pattern(r.eventPattern!), event)).map((r) => this.sendToTargets(scope, r, event)));
  }

  /** Sends an event to a rule's targets; a refused or undeliverable target is logged, not retried, and its event goes to the target's dead-letter queue if it has one. */
  async sendToTargets(scope: EventsScope, rule: StoredRule, event: EventEnvelope): Promise<void> {
    const arn = ruleArn(scope, rule.busName, rule.name);
    const targets = await this.store.listTargets(scope, rule.busName, rule.name);
    await Promise.all(targets.map(async (target) => {
      const kind = this.targets.kindFor(target.Arn);
      if (!kind) {
        logger.info('EventBridge target kind not delivered by this server', { rule: arn, target: target.Arn });
        return;
      }
      try {
        await kind.deliver({ targetArn: target.Arn, ruleArn: arn, accountId: scope.accountId, payload: targetInput(target, event, arn, rule.name), target });
      } catch (e) {
        logger.warn('EventBridge event not delivered to its target', { rule: arn, target: target.Arn, eventId: event.id, error: e instanceof Error ? e.message : String(e) });
        await this.#sendDeadLetter(scope, arn, target, event, e);
      }
    }));
  }

  /** A dead letter that cannot be sent (no such queue, its policy refuses) is logged and lost, as AWS counts it in InvocationsFailedToBeSentToDLQ. */
  async #sendDeadLetter(scope: EventsScope, ruleArn: string, target: StoredTarget, event: EventEnvelope, error: unknown): Promise<void> {
    const queueArn = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
    if (!queueArn || !this.targets.deadLetters) return;
    try {
      await this.targets.deadLetters.send(queueArn, { body: JSON.stringify(event), attributes: deadLetterAttributes(ruleArn, target.Arn, error), ruleArn, accountId: scope.accountId });
    } catch (e) {
      logger.warn('EventBridge dead letter not sent', { rule: ruleArn, target: target.Arn, deadLetterQueue: queueArn, error: e instanceof Error ? e.message : String(e) });
    }
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
