// Form state of a dialog whose submission is one mutation.
import { useForm } from './use-form';

/** The form plus `close`: closing clears the mutation's result and the fields, so the next opening starts clean. */
export function useDialogForm<T extends Record<string, unknown>>(initial: T, mutation: { reset: () => void }, onClose: () => void) {
  const form = useForm(initial);
  const close = () => {
    mutation.reset();
    form.setValues(initial);
    onClose();
  };
  return { form, close };
}
