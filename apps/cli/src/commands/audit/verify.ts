import { CliError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron audit verify`: recomputes the hash chain; exits 1 when it is broken. */
export const auditVerifyCommand = defineCommand({
  path: ['audit', 'verify'],
  summary: 'Recompute the audit hash chain (exit 1 when it is broken)',
  async run(ctx) {
    const v = await ctx.api.call('audit.verify');
    const result = record(v, [['ok', v.ok], ['entries', v.entries], ['first broken', v.firstBrokenSeq], ['reason', v.reason]]);
    if (!v.ok) result.failure = new CliError('AUDIT_CHAIN_BROKEN', `the audit chain is broken at entry ${v.firstBrokenSeq}: ${v.reason ?? 'hash mismatch'}`);
    return result;
  },
});
