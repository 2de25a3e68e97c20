import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { CursorPager, type useCursorPager } from './CursorPager';

/** A striped, horizontally scrollable table of one keyset page, with the pager below it. */
export function PagedTable({ label, minWidth, head, pager, nextCursor, count, children }: {
  label: string;
  minWidth: number;
  head: ReactNode;
  pager: ReturnType<typeof useCursorPager>;
  nextCursor: string | null | undefined;
  count: number;
  children: ReactNode;
}) {
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table aria-label={label} striped highlightOnHover>
          <Table.Thead><Table.Tr>{head}</Table.Tr></Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager pager={pager} nextCursor={nextCursor} count={count} />
    </>
  );
}
