import { Alert } from '@mantine/core';
import { problemCode, problemMessage } from '../api/problem';

/** Shows why a call failed: the problem `detail` and its code, or nothing when there is no error. */
export function ErrorAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const code = problemCode(error);
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {problemMessage(error)}
      {code ? <span style={{ opacity: 0.6 }}> ({code})</span> : null}
    </Alert>
  );
}
