import { Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';

/** Renders children with a query's data, or its loading state or error. */
export function QueryState<T>({ query, children, label = 'Loading' }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; label?: string }) {
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={label} />
      </Center>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} title="Could not load this" />;
  return <>{children(query.data)}</>;
}
