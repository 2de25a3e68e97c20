import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_CSV_HEADER, auditCsvRow, csvCell, csvRow } from './audit-csv';

describe('audit CSV', () => {
  it('quotes per RFC 4180 only when needed', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(42), '42');
    assert.equal(csvRow(['a', null, 'b,c']), 'a,,"b,c"\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://evil")`);
      assert.ok(cell === `'${start}HYPERLINK("http://evil")` || cell.startsWith(`"'${start}`), `${JSON.stringify(start)} → ${cell}`);
    }
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('=SUM(A1,A2)'), `"'=SUM(A1,A2)"`);
    assert.equal(csvCell('a=b'), 'a=b', 'only the first character matters');
  });

  it('writes an entry in the header order with details as JSON', () => {
    assert.equal(AUDIT_CSV_HEADER, 'seq,id,time,actorId,actorLabel,tenantId,action,target,outcome,ip,requestId,details,prevHash,hash\r\n');
    const row = auditCsvRow({
      seq: 7, id: 'a1', time: '2026-01-01T00:00:00.000Z', actorId: null, actorLabel: 'anonymous', tenantId: null, action: 'auth.login',
      target: '=cmd', outcome: 'failure', ip: '127.0.0.1', requestId: 'r1', details: { error: 'INVALID_CREDENTIALS', n: 1 }, prevHash: 'p', hash: 'h',
    });
    assert.equal(row, `7,a1,2026-01-01T00:00:00.000Z,,anonymous,,auth.login,'=cmd,failure,127.0.0.1,r1,"{""error"":""INVALID_CREDENTIALS"",""n"":1}",p,h\r\n`);
  });
});
