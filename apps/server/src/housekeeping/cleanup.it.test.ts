import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isoPlus } from '../lib/clock';
import { createTestVm } from '../testing/compute-fixtures';
import { ManualClock } from '../testing/manual-clock';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import type { TestUser } from '../testing/test-users';

const DAY = 86_400;
const LIFETIME = 30 * DAY; // the default refreshTokenTtlSeconds

for (const dialect of TEST_DIALECTS) {
  describe(`expired sessions and tokens cleanup on ${dialect}`, () => {
    const clock = new ManualClock();
    let srv: TestServer;
    let admin: TestUser;
    let vmId: string;
    before(async () => {
      // The periodic job is off here: the test runs passes itself.
      srv = await startTestServer({ dialect, clock, env: { NOVACRON_CLEANUP_INTERVAL_SECONDS: '0' } });
      admin = await srv.admin();
      vmId = (await createTestVm(srv, admin.client, admin.tenantId)).id;
    });
    after(() => srv.close());

    const db = () => srv.services.store.db;
    const at = (seconds: number) => isoPlus(clock.now(), seconds);
    let n = 0;
    const id = (tag: string) => `${tag}-${++n}`;

    async function session(tag: string, expiresIn: number, revokedAgo: number | null, tokens: { usedAgo: number | null }[] = [{ usedAgo: null }]) {
      const sid = id(tag);
      await db().insertInto('sessions').values({
        id: sid, user_id: admin.user.id, created_at: at(-DAY), last_used_at: at(-DAY), expires_at: at(expiresIn),
        revoked_at: revokedAgo === null ? null : at(-revokedAgo), revoked_reason: revokedAgo === null ? null : 'test', user_agent: 't', ip: '127.0.0.1',
      }).execute();
      for (const t of tokens) {
        await db().insertInto('refresh_tokens').values({
          id: id(`${tag}-rt`), session_id: sid, token_hash: id(`${tag}-hash`), created_at: at(-DAY), used_at: t.usedAgo === null ? null : at(-t.usedAgo),
        }).execute();
      }
      return sid;
    }
    async function oneTime(kind: string, expiresIn: number, used: boolean) {
      const tid = id(`ott-${kind}`);
      await db().insertInto('one_time_tokens').values({
        id: tid, kind, token_hash: id('h'), user_id: null, email: null, tenant_id: null, role_id: null, expires_at: at(expiresIn), used_at: used ? at(-60) : null, created_at: at(-60),
      }).execute();
      return tid;
    }
    async function ticket(expiresIn: number, used: boolean) {
      const tid = id('ticket');
      await db().insertInto('console_tickets').values({
        id: tid, token_hash: id('h'), vm_id: vmId, user_id: admin.user.id, expires_at: at(expiresIn), used_at: used ? at(-5) : null, created_at: at(-30),
      }).execute();
      return tid;
    }
    async function joinToken(expiresIn: number, used: boolean) {
      const tid = id('join');
      await db().insertInto('node_join_tokens').values({
        id: tid, token_hash: id('h'), description: '', created_by: null, expires_at: at(expiresIn), used_at: used ? at(-60) : null, node_id: null, created_at: at(-60),
      }).execute();
      return tid;
    }
    const ids = async (table: 'sessions' | 'refresh_tokens' | 'one_time_tokens' | 'console_tickets' | 'node_join_tokens', wanted: string[]) =>
      (await db().selectFrom(table).select('id').where('id', 'in', wanted).execute()).map((r) => r.id).sort();

    it('deletes expired rows and keeps live ones, table by table', async () => {
      const liveSession = await session('live', DAY, null, [{ usedAgo: 2 * DAY }, { usedAgo: LIFETIME + DAY }, { usedAgo: null }]);
      const expired = await session('expired', -60, null);
      const revokedRecently = await session('revoked-recently', -DAY, DAY, [{ usedAgo: 2 * DAY }, { usedAgo: null }]);
      const revokedLongAgo = await session('revoked-long-ago', -DAY, LIFETIME + 60);
      const liveTokens = await db().selectFrom('refresh_tokens').select(['id', 'used_at']).where('session_id', '=', liveSession).orderBy('id').execute();

      const keepOtt = [await oneTime('reset', 600, false), await oneTime('verify', 600, false), await oneTime('invite', DAY, false), await oneTime('invite', DAY, true), await oneTime('setup', DAY, false)];
      const dropOtt = [
        await oneTime('reset', 600, true), await oneTime('reset', -1, false), await oneTime('verify', DAY, true), await oneTime('verify', -1, false),
        await oneTime('invite', -1, false), await oneTime('setup', -1, false), await oneTime('setup', -1, true),
      ];
      const keepTickets = [await ticket(30, false)];
      const dropTickets = [await ticket(30, true), await ticket(-1, false)];
      const keepJoin = [await joinToken(600, false), await joinToken(600, true)];
      const dropJoin = [await joinToken(-1, false), await joinToken(-1, true)];

      const counts = await srv.services.cleanup.runOnce();

      assert.deepEqual(await ids('sessions', [liveSession, expired, revokedRecently, revokedLongAgo]), [liveSession, revokedRecently].sort());
      // The expired and the long-revoked families' tokens went with them; the recently revoked family is whole (reuse detection).
      const remaining = await db().selectFrom('refresh_tokens').select(['id', 'session_id']).where('session_id', 'in', [liveSession, expired, revokedRecently, revokedLongAgo]).execute();
      assert.equal(remaining.filter((r) => r.session_id === revokedRecently).length, 2);
      assert.deepEqual(remaining.filter((r) => r.session_id === liveSession).map((r) => r.id).sort(), liveTokens.filter((t) => t.used_at !== at(-(LIFETIME + DAY))).map((t) => t.id).sort());
      assert.equal(remaining.filter((r) => r.session_id === expired || r.session_id === revokedLongAgo).length, 0);

      assert.deepEqual(await ids('one_time_tokens', [...keepOtt, ...dropOtt]), keepOtt.sort());
      assert.deepEqual(await ids('console_tickets', [...keepTickets, ...dropTickets]), keepTickets.sort());
      assert.deepEqual(await ids('node_join_tokens', [...keepJoin, ...dropJoin]), keepJoin.sort());
      assert.equal(counts.sessions, 2);
      assert.equal(counts.refreshTokens, 1);
      assert.ok(counts.oneTimeTokens >= dropOtt.length, 'bootstrap may have left used setup tokens too');
      assert.equal(counts.consoleTickets, 2);
      assert.ok(counts.joinTokens >= 2);

      // A second pass (another replica, or the next hour) finds nothing more and fails nothing.
      const again = await srv.services.cleanup.runOnce();
      assert.deepEqual(again, { sessions: 0, refreshTokens: 0, oneTimeTokens: 0, consoleTickets: 0, joinTokens: 0 });
    });

    it('keeps a revoked family until one refresh-token lifetime after revocation, so reuse is still detected', async () => {
      const sid = await session('reuse', -DAY, LIFETIME - 60);
      await srv.services.cleanup.runOnce();
      assert.deepEqual(await ids('sessions', [sid]), [sid]);
      clock.advance(120);
      await srv.services.cleanup.runOnce();
      assert.deepEqual(await ids('sessions', [sid]), []);
    });

    it('the signed-in admin keeps working after a pass', async () => {
      await srv.services.cleanup.runOnce();
      assert.equal((await admin.client.call('auth.me', {})).email, admin.email);
    });
  });
}

describe('cleanup runs on its own after start', () => {
  it('deletes an expired token within the first interval and stops with the server', async () => {
    const srv = await startTestServer({ env: { NOVACRON_CLEANUP_INTERVAL_SECONDS: '1' } });
    try {
      const now = new Date();
      await srv.services.store.db.insertInto('one_time_tokens').values({
        id: 'expired-ott', kind: 'reset', token_hash: 'h-expired', user_id: null, email: null, tenant_id: null, role_id: null,
        expires_at: isoPlus(now, -1), used_at: null, created_at: isoPlus(now, -600),
      }).execute();
      const deadline = Date.now() + 10_000;
      let left = 1;
      while (left > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        left = (await srv.services.store.db.selectFrom('one_time_tokens').select('id').where('id', '=', 'expired-ott').execute()).length;
      }
      assert.equal(left, 0, 'the periodic pass did not delete the expired token');
    } finally {
      await srv.close();
    }
  });
});
