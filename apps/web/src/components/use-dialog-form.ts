// Form state of a dialog whose submission is one mutation.
import { notifications } from '@mantine/notifications';
import { useForm } from './use-form';

/**
 * The form plus `close`: closing clears the mutation's result and the fields, so the next opening starts clean.
 * `closeOnSuccess` builds the mutation callbacks of a dialog that is done once its request succeeds.
 */
export function useDialogForm<T extends Record<string, unknown>>(initial: T, mutation: { reset: () => void }, onClose: () => void) {
  const form = useForm(initial);
  const close = () => {
    mutation.reset();
    form.setValues(initial);
    onClose();
  };
  // The server's field errors land next to the fields; success is announced, since the dialog closes on it.
  const closeOnSuccess = <R,>(announce: (result: R) => string) => ({
    onSuccess: (result: R) => {
      notifications.show({ color: 'green', message: announce(result) });
      close();
    },
    onError: form.fromProblem,
  });
  return { form, close, closeOnSuccess };
}
