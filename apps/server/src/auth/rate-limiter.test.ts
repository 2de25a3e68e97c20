import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock';
import { FailureWindow, LoginThrottle, RetryLaterError } from './rate-limiter';

function code(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    assert.ok(err instanceof RetryLaterError);
    return `${err.code}:${err.retryAfterSeconds}`;
  }
}

describe('rate limiter', () => {
  it('blocks a key after max failures in the window, until the oldest ages out', () => {
    const clock = new ManualClock();
    const w = new FailureWindow(clock, 3, 60);
    w.fail('k');
    clock.advance(10);
    w.fail('k');
    w.fail('k');
    assert.equal(w.blockedFor('k'), 50);
    assert.equal(w.blockedFor('other'), 0);
    clock.advance(50);
    assert.equal(w.blockedFor('k'), 0, 'the first failure aged out');
    w.fail('k');
    assert.equal(w.blockedFor('k'), 10);
  });

  it('locks an account after 5 failures for 15 minutes, case-insensitively, and a success clears it', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock);
    for (let i = 0; i < 5; i++) {
      assert.equal(code(() => t.assertAllowed('Ann@example.com', `10.0.0.${i}`)), null);
      t.recordFailure('Ann@example.com', `10.0.0.${i}`);
    }
    assert.equal(code(() => t.assertAllowed('ann@EXAMPLE.com', '10.9.9.9')), 'ACCOUNT_LOCKED:900');
    clock.advance(899);
    assert.equal(code(() => t.assertAllowed('ann@example.com', '10.9.9.9')), 'ACCOUNT_LOCKED:1');
    clock.advance(1);
    assert.equal(code(() => t.assertAllowed('ann@example.com', '10.9.9.9')), null);
    t.recordFailure('ann@example.com', '10.9.9.9');
    t.recordSuccess('ann@example.com');
    assert.equal(t.account.blockedFor('ann@example.com'), 0);
  });

  it('limits an address to 20 failures across accounts', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock);
    for (let i = 0; i < 20; i++) t.recordFailure(`user${i}@example.com`, '192.0.2.1');
    assert.equal(code(() => t.assertAllowed('fresh@example.com', '192.0.2.1')), 'RATE_LIMITED:900');
    assert.equal(code(() => t.assertAllowed('fresh@example.com', '192.0.2.2')), null);
    // A success on one account does not unlock the address.
    t.recordSuccess('user1@example.com');
    assert.ok(t.ip.blockedFor('192.0.2.1') > 0);
    clock.advance(901);
    assert.equal(code(() => t.assertAllowed('fresh@example.com', '192.0.2.1')), null);
  });

  it('keeps memory bounded: only the newest max failures per key, and sweep forgets idle keys', () => {
    const clock = new ManualClock();
    const w = new FailureWindow(clock, 2, 60);
    for (let i = 0; i < 1000; i++) w.fail('k');
    assert.equal((w as unknown as { failures: Map<string, number[]> }).failures.get('k')?.length, 2);
    clock.advance(61);
    w.sweep();
    assert.equal((w as unknown as { failures: Map<string, number[]> }).failures.size, 0);
  });
});
