// Small form state: values, per-field errors, and validation with the contract's own zod schemas.
import { useCallback, useState, type ChangeEvent } from 'react';
import type { z } from 'zod';
import { problemFields } from '../api/problem';
import { zodFieldErrors } from './format';

/** Form state for `initial`'s fields. */
export function useForm<T extends Record<string, unknown>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const set = useCallback(<K extends keyof T>(name: K, value: T[K]) => setValues((v) => ({ ...v, [name]: value })), []);

  /** Props for a text input bound to a field. */
  const text = (name: keyof T & string) => ({
    name,
    value: String(values[name] ?? ''),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(name, e.currentTarget.value as T[typeof name]),
    error: errors[name],
  });

  /** Parses `input` (default: the values) with a contract schema; shows field errors and answers null when invalid. */
  const validate = <S extends z.ZodType>(schema: S, input: unknown = values): z.output<S> | null => {
    const result = schema.safeParse(input);
    setErrors(zodFieldErrors(result));
    return result.success ? result.data : null;
  };

  /** Shows the server's field errors (VALIDATION_FAILED) next to the fields. */
  const fromProblem = (err: unknown) => setErrors(problemFields(err));

  return { values, setValues, set, errors, setErrors, text, validate, fromProblem };
}
