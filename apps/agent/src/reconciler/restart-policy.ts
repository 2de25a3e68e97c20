import type { VmSpec } from '@novacron/api';
import type { EndReason } from './vm-record';

/** Whether `policy` restarts a VM that ended for `reason` (`on-failure`: crashes only; `always`: any end). */
export function restartAllowed(policy: VmSpec['restartPolicy'], reason: EndReason): boolean {
  if (policy === 'always') return true;
  if (policy === 'on-failure') return reason === 'crashed';
  return false;
}

/** Delay before the n-th restart in a row (n from 0): 1 s doubling to `maxMs`, so a crash loop slows down. */
export function restartDelayMs(restarts: number, baseMs = 1_000, maxMs = 60_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(restarts, 20));
}
