import { renameSync, rmSync, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { stringFlag } from '../../args';
import { text } from '../../output';
import { defineCommand } from '../../registry';
import { auditFilterFlags, auditFilters } from './audit-filters';

/** `novacron audit export`: the server's CSV export, streamed to stdout or to a file (never held in memory). */
export const auditExportCommand = defineCommand({
  path: ['audit', 'export'],
  summary: 'Export audit entries as CSV (newest first), to stdout or --file',
  description:
    'Streams GET /api/v1/audit/export: a header row, then every entry matching the filters (RFC 4180; cells starting with = + - @ get a leading \'). ' +
    'With --file the CSV is written to FILE.part and renamed to FILE once complete, so an interrupted export leaves no FILE behind.',
  flags: {
    file: { type: 'string', short: 'f', value: 'FILE', description: 'Write the CSV to FILE instead of stdout' },
    ...auditFilterFlags,
  },
  async run(ctx) {
    const query = auditFilters(ctx.flags);
    const res = await ctx.api.fetchRoute('audit.export', { query });
    const body = res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    const file = stringFlag(ctx.flags, 'file');
    if (!file) {
      // stdout stays open for whatever the CLI prints after.
      await pipeline(body, ctx.io.stdout, { end: false });
      return;
    }
    const part = `${file}.part`;
    const out = createWriteStream(part, { mode: 0o600 });
    try {
      await pipeline(body, out);
      renameSync(part, file);
    } catch (err) {
      rmSync(part, { force: true });
      throw err;
    }
    return text({ file, bytes: out.bytesWritten }, `wrote ${out.bytesWritten} bytes of CSV to ${file}`);
  },
});
