// The lifecycle of one execution environment as an explicit state machine:
//   starting → ready → invoking → ready … → dead   (dead from any state)
// Anything else is a bug in the caller and throws.

export type EnvironmentState = 'starting' | 'ready' | 'invoking' | 'dead';

const ALLOWED: Readonly<Record<EnvironmentState, readonly EnvironmentState[]>> = {
  starting: ['ready', 'dead'],
  ready: ['invoking', 'dead'],
  invoking: ['ready', 'dead'],
  dead: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: EnvironmentState,
    readonly to: EnvironmentState,
  ) {
    super(`Illegal environment state transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export class EnvironmentLifecycle {
  #state: EnvironmentState = 'starting';

  get state(): EnvironmentState {
    return this.#state;
  }

  can(next: EnvironmentState): boolean {
    return ALLOWED[this.#state].includes(next);
  }

  to(next: EnvironmentState): void {
    if (!this.can(next)) throw new IllegalTransitionError(this.#state, next);
    this.#state = next;
  }
}
