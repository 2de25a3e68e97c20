import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/** Keyset paging state: the cursor of the current page and the ones before it, for Previous. */
export function useCursorPager() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  const next = useCallback((c: string) => setStack((s) => [...s, c]), []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor, page: stack.length, next, prev, reset };
}

/** Previous / next buttons for a keyset-paged list. */
export function CursorPager({ pager, nextCursor, count }: { pager: ReturnType<typeof useCursorPager>; nextCursor: string | null | undefined; count: number }) {
  if (pager.page === 1 && !nextCursor) return null;
  return (
    <Group justify="flex-end" gap="xs" mt="sm">
      <Text size="sm" c="dimmed">Page {pager.page} ({count} shown)</Text>
      <Button variant="default" size="xs" onClick={pager.prev} disabled={pager.page === 1}>Previous page</Button>
      <Button variant="default" size="xs" onClick={() => nextCursor && pager.next(nextCursor)} disabled={!nextCursor}>Next page</Button>
    </Group>
  );
}
