// A token bucket as API Gateway's throttles describe it: `burst` tokens at most, refilled at
// `rate` tokens per second; each admitted request takes one. Used by usage plans (per plan and
// key, usage-meter.ts) and by stage and method throttling (per stage and method, method-throttle.ts).

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly rate: number, readonly burst: number, now: number) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes a token if one is left at `now` (epoch ms); false when the request is to be throttled. */
  take(now: number): boolean {
    if (now > this.#at) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
      this.#at = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
