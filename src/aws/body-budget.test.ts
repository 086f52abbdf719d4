import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { BodyBudget, BodyBudgetExhaustedError } from './body-budget.js';

const response = (): ServerResponse & EventEmitter => Object.assign(new EventEmitter(), { closed: false }) as unknown as ServerResponse & EventEmitter;

test('leases share the budget, are released once when their response closes, and one alone may pass the budget', () => {
  const budget = new BodyBudget(100);
  const a = response();
  const b = response();
  const leaseA = budget.lease(a);
  const leaseB = budget.lease(b);
  leaseA.take(60);
  assert.throws(() => leaseB.take(50), BodyBudgetExhaustedError);
  leaseB.take(40);
  assert.equal(budget.inFlight, 100);
  a.emit('close');
  a.emit('close');
  assert.equal(budget.inFlight, 40);
  assert.throws(() => leaseA.take(1), BodyBudgetExhaustedError, 'a closed response takes nothing more');
  leaseB.take(500);
  assert.equal(budget.inFlight, 540, 'alone in flight, a request may pass the budget');
  assert.throws(() => budget.lease(response()).take(1), BodyBudgetExhaustedError);
  b.emit('close');
  assert.equal(budget.inFlight, 0);
  const closed = Object.assign(response(), { closed: true });
  assert.throws(() => budget.lease(closed).take(1), BodyBudgetExhaustedError);
  assert.equal(budget.inFlight, 0);
});
