import assert from 'node:assert/strict';
import { ApiRequestError } from '@novacron/client';

/** Awaits a call that must fail with `code` (and its HTTP status); answers the error for further checks. */
export async function expectProblem(call: Promise<unknown>, code: string, status?: number): Promise<ApiRequestError> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiRequestError, `expected ${code}, got ${caught ? String(caught) : 'success'}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (status !== undefined) assert.equal(caught.status, status);
  return caught;
}
