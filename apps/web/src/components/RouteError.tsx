import { Alert, Anchor, Container } from '@mantine/core';
import { useRouteError } from 'react-router';

/** Shown when a page fails to render or its code cannot be loaded (for example after a new release). */
export function RouteError() {
  const error = useRouteError() as Error | undefined;
  const stale = error?.message?.includes('dynamically imported module') || error?.message?.includes('Importing a module script failed');
  return (
    <Container size="sm" py="xl">
      <Alert color="red" title={stale ? 'NovaCron was updated' : 'This page failed'} role="alert">
        {stale ? 'A newer version is available. ' : (error?.message ?? 'Unknown error')}{' '}
        <Anchor onClick={() => window.location.reload()} component="button">Reload</Anchor>
      </Alert>
    </Container>
  );
}
