// Test support: the fuzzed requests for one service, derived from its model and a seed. Each case
// is an operation, a valid-looking input (seeded resources' real ids in a share of them) and one
// mutation, or none, so that handlers past validation are reached too.
import type { Operation, ServiceModel } from '../../aws/model.js';
import { Random } from './random.js';
import { validValue, type KnownIds } from './values.js';
import { mutateMember, mutateRequest } from './mutations.js';
import { toWire, type WireRequest } from './wire.js';

export interface FuzzCase {
  service: string;
  op: Operation;
  /** Position in the service's sequence: with the seed, enough to make the same request again. */
  index: number;
  mutation: string;
  wire: WireRequest;
  /** Copies sent at once (racing creates, updates and deletes of one resource). */
  copies: number;
}

export interface CaseOptions {
  service: string;
  model: ServiceModel;
  seed: number;
  known: KnownIds;
  /** Ids the destructive operations (Delete*, Remove*, …) may name: resources that may go. */
  victims?: KnownIds;
  /** Requests per served operation. */
  perOperation: number;
  /** Operations documented as served; the others (answering 501 past validation) get a third as many requests. */
  served: ReadonlySet<string>;
}

// Operations that would legitimately remove the seeded resources never get their ids (the victims' instead).
const DESTRUCTIVE = /^(Delete|Remove|Flush|Reset|Untag)/;

export function* fuzzCases(options: CaseOptions): Generator<FuzzCase> {
  const { model, service } = options;
  const root = new Random(options.seed).fork(service);
  const operations = Object.values(model.operations).sort((a, b) => a.name.localeCompare(b.name));
  let index = 0;
  const unserved = Math.ceil(options.perOperation / 3);
  for (let round = 0; round < options.perOperation; round++) {
    for (const op of operations) {
      if (round >= unserved && !options.served.has(op.name)) continue;
      const rng = root.fork(`${op.name}#${round}`);
      const destructive = DESTRUCTIVE.test(op.name);
      const ctx = { model, rng, known: destructive ? options.victims ?? {} : options.known, realShare: 0.85 };
      const input = (op.input ? validValue(ctx, op.input.shape, '') : {}) as Record<string, unknown>;
      const roll = rng.next();
      let mutation = 'none (valid-looking)';
      let wire: WireRequest;
      if (roll < 0.2) wire = toWire(model, op, input);
      else if (roll < 0.8) {
        const draft = mutateMember(model, op, input, rng);
        mutation = draft.mutation;
        wire = toWire(model, op, draft.input);
      } else {
        const changed = mutateRequest(toWire(model, op, input), rng);
        mutation = changed.mutation;
        wire = changed.wire;
      }
      const copies = mutation.startsWith('none') && rng.chance(0.4) ? 4 : 1;
      yield { service, op, index: index++, mutation: copies > 1 ? `${mutation}, ${copies} copies at once` : mutation, wire, copies };
    }
  }
}

/** A request as one would write it down to send it again. */
export function describeCase(c: FuzzCase, seed: number): string {
  const body = c.wire.body.length > 2000
    ? `${JSON.stringify(c.wire.body.subarray(0, 500).toString('latin1'))}… (${c.wire.body.length} bytes)`
    : JSON.stringify(c.wire.body.toString('latin1'));
  const query = c.wire.query.length ? `?${c.wire.query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  const shownPath = (c.wire.path + query).length > 600 ? `${(c.wire.path + query).slice(0, 600)}… (${(c.wire.path + query).length} characters)` : c.wire.path + query;
  return [
    `${c.service} ${c.op.name} #${c.index} (seed ${seed}): ${c.mutation}`,
    `  ${c.wire.method} ${shownPath}`,
    ...Object.entries(c.wire.headers).map(([k, v]) => `  ${k}: ${v.length > 200 ? `${v.slice(0, 200)}… (${v.length})` : v}`),
    `  body: ${body}`,
  ].join('\n');
}
