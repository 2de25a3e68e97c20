import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { AUDIT_CSV_COLUMNS, type AuditEntry, type Tenant } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';
import { fails } from './admin-test-helpers';
import { EXPORT_PAGE_ROWS } from './audit-query.service';

/** A strict RFC 4180 reader (quoted fields may hold commas, quotes and line breaks; records end with CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && cell === '') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
        else if (text[i] === '"') {
          i++;
          break;
        } else if (i >= text.length) throw new Error('unterminated quote');
        else cell += text[i++];
      }
    } else if (text[i] === ',') (row.push(cell), (cell = ''), i++);
    else if (text[i] === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), (i += 2));
    else if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
    else cell += text[i++];
  }
  assert.equal(cell + row.join(''), '', 'the last record ends with CRLF');
  return rows;
}

for (const dialect of TEST_DIALECTS) {
  describe(`audit CSV export on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let acme: Tenant;
    let acmeAuditor: TestUser;

    async function listAll(user: TestUser, query: Record<string, string> = {}): Promise<AuditEntry[]> {
      const out: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await user.client.call('audit.list', { query: { ...query, limit: 1000, cursor } });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    }
    async function exportCsv(user: TestUser, query: Record<string, string> = {}) {
      const res = await user.client.fetchRoute('audit.export', { query });
      return { res, rows: parseCsv(await res.text()) };
    }

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
      acme = await admin.client.call('tenants.create', { body: { name: 'acme' } });
      const globex = await admin.client.call('tenants.create', { body: { name: 'globex' } });
      acmeAuditor = await createUser(srv, { tenant: 'acme', role: 'auditor' });
      await admin.client.call('users.create', { body: { email: 'a1@example.com', name: 'A1', tenantId: acme.id } });
      await admin.client.call('users.create', { body: { email: 'g1@example.com', name: 'G1', tenantId: globex.id } });
      // What an attacker controls ends up in targets and details: a formula, and the characters that need quoting.
      await srv.services.audit.append({
        actorId: null, actorLabel: '@attacker', tenantId: acme.id, action: 'test.injection', target: '=HYPERLINK("http://x","y")', outcome: 'failure',
        ip: null, requestId: null, details: { note: 'a, "quoted"\r\nline' },
      });
    });
    after(() => srv.close());

    it('streams text/csv with a file name, a header row and the same entries as the list, newest first', async () => {
      const { res, rows } = await exportCsv(admin);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="novacron-audit-[0-9TZ-]+\.csv"$/);
      assert.deepEqual(rows[0], [...AUDIT_CSV_COLUMNS]);
      const listed = await listAll(admin);
      assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), listed.map((e) => e.seq));
      const created = rows.find((r) => r[6] === 'users.create')!;
      const entry = listed.find((e) => e.seq === Number(created[0]))!;
      assert.deepEqual(created, [String(entry.seq), entry.id, entry.time, entry.actorId ?? '', entry.actorLabel, entry.tenantId ?? '', entry.action, entry.target ?? '', entry.outcome, entry.ip ?? '', entry.requestId ?? '', JSON.stringify(entry.details), entry.prevHash, entry.hash]);
    });

    it('defuses formulas and quotes what needs quoting', async () => {
      const { rows } = await exportCsv(admin, { action: 'test.injection' });
      assert.equal(rows.length, 2);
      const [row] = rows.slice(1);
      assert.equal(row[4], "'@attacker");
      assert.equal(row[7], `'=HYPERLINK("http://x","y")`);
      assert.deepEqual(JSON.parse(row[11]), { note: 'a, "quoted"\r\nline' });
    });

    it('applies the list filters and the tenant scope', async () => {
      const { rows } = await exportCsv(admin, { action: 'users.', outcome: 'success' });
      assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), (await listAll(admin, { action: 'users.', outcome: 'success' })).map((e) => e.seq));
      assert.ok(rows.length >= 3);
      const mine = await exportCsv(acmeAuditor);
      const visible = await listAll(acmeAuditor);
      assert.ok(visible.length > 0);
      assert.deepEqual(mine.rows.slice(1).map((r) => Number(r[0])), visible.map((e) => e.seq));
      assert.ok(mine.rows.slice(1).every((r) => r[5] === acme.id), 'only the auditor\'s tenant');
    });

    it('refuses bad filters with a problem before streaming', async () => {
      await fails(admin.client.fetchRoute('audit.export', { query: { since: 'yesterday' } }), 400, 'VALIDATION_FAILED');
      await fails(admin.client.fetchRoute('audit.export', { query: { limit: '5' } as never }), 400, 'VALIDATION_FAILED');
    });

    it('pages through more entries than one query reads', async () => {
      const top = await srv.services.store.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
      const first = Number(top.seq) + 1;
      const count = 2 * EXPORT_PAGE_ROWS + 7;
      const rows = Array.from({ length: count }, (_, i) => ({
        seq: first + i, id: `bulk-${first + i}`, time: new Date().toISOString(), actor_id: null, actor_label: 'bulk', tenant_id: null, action: 'test.bulk',
        target: null, outcome: 'success', ip: null, request_id: null, details: '{}', prev_hash: '', hash: '',
      }));
      for (let i = 0; i < rows.length; i += 500) await srv.services.store.db.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
      const exported = await exportCsv(admin, { action: 'test.bulk' });
      const seqs = exported.rows.slice(1).map((r) => Number(r[0]));
      assert.equal(seqs.length, count);
      assert.deepEqual(seqs, rows.map((r) => r.seq).reverse());

      // A GET carrying a large body nobody reads must not stall the stream (the client writes the body first).
      const body = `"${'x'.repeat(200_000)}"`;
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(`${srv.url}/api/v1/audit/export?action=test.bulk`, {
          method: 'GET', timeout: 20_000,
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' }, agent: false,
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('the export stalled')));
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(answer.status, 200);
      assert.equal(parseCsv(answer.text).length, count + 1);
    });
  });
}
