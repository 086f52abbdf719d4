// The error of a promotion that can't be made as asked. Pure, so the web console's stack actions
// (which load the stack plan, src/deploy/stack-promotion-plan.ts) throw the same one.

/** A problem with the request itself (not the server): message plus what to do instead. */
export class PromotionError extends Error {
  constructor(message: string, readonly hint?: string, readonly type = 'InvalidRequest') {
    super(message);
    this.name = 'PromotionError';
  }
}
