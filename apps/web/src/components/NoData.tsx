import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

/** What a page says where the API has nothing to show yet. */
export function NoData({ title = 'No data yet', description, children }: { title?: string; description?: ReactNode; children?: ReactNode }) {
  return (
    <EmptyState title={title} description={description} py="xl">
      {children}
    </EmptyState>
  );
}
