import { ApiError } from '@novacron/api';

/** Encodes the last id of a page as an opaque cursor. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

/** Decodes a cursor from a client; a malformed one is a 400. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value?.after === 'string' && value.after.length <= 64) return value.after;
  } catch {
    // fall through to the error below
  }
  throw new ApiError('INVALID_CURSOR', 'cursor is not one this server issued');
}

/** Builds a page from `limit + 1` rows fetched in id order. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], limit: number, map: (r: Row) => Item) {
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(map);
  return { items, nextCursor: more ? encodeCursor(rows[limit - 1].id) : null };
}
