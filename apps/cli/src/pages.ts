import { intFlag, stringFlag } from './args';
import type { CommandContext, FlagSpec } from './registry';

/** Flags every list command takes: `--limit`, `--cursor`, `--all`. */
export const pageFlags: Record<string, FlagSpec> = {
  limit: { type: 'string', value: 'N', description: 'Items per page, 1-1000 (server default 50)' },
  cursor: { type: 'string', value: 'CURSOR', description: 'Continue after a previous page (its nextCursor)' },
  all: { type: 'boolean', description: 'Follow the cursors and print every page' },
};

/** One page of a list as the API answers it. */
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Fetches one page (or, with `--all`, every page) through `fetchPage`. `data` is the API page; with `--all`
 * it is one page holding every item with `nextCursor: null`. `note` tells a person how to get the next page.
 */
export async function listPages<T>(
  ctx: CommandContext,
  fetchPage: (page: { limit?: number; cursor?: string }) => Promise<PageOf<T>>,
): Promise<{ data: PageOf<T>; items: T[]; note?: string }> {
  const limit = intFlag(ctx.flags, 'limit', { min: 1, max: 1000 });
  let cursor = stringFlag(ctx.flags, 'cursor');
  if (!ctx.flags.all) {
    const page = await fetchPage({ limit, cursor });
    const note = page.nextCursor ? `(more: add --cursor ${page.nextCursor}, or --all)` : undefined;
    return { data: page, items: page.items, note };
  }
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage({ limit: limit ?? 500, cursor });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { data: { items, nextCursor: null }, items };
}
