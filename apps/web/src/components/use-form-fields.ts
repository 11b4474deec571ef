import type { ChangeEvent, SyntheticEvent } from 'react';
import { useState } from 'react';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors, FormSchema } from '../forms/validate';

/**
 * The state of a form of text inputs checked by a schema before it is sent: values, the messages to show
 * (the client's own first, then the server's field errors of the last attempt, `serverError`), props for
 * each input, and a submit handler that calls `onValid` only with valid data.
 *
 * @example
 * const form = useFormFields(profileSchema, { name: user.name }, update.error);
 * <form onSubmit={form.handleSubmit((data) => update.mutate(data))}>
 *   <TextInput label="Name" {...form.input('name')} />
 */
export function useFormFields<K extends string, T>(
  schema: FormSchema<T>,
  initial: Record<K, string>,
  serverError: unknown,
) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const errors = mergeFieldErrors(clientErrors, serverError);

  const setValue = (name: K, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    // The person is fixing this input: its old message no longer applies.
    setClientErrors(dropField(name));
  };
  const input = (name: K) => ({
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setValue(name, event.currentTarget.value);
    },
    error: errors[name],
  });
  const handleSubmit = (onValid: (data: T) => void) => (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(schema, values);
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    onValid(result.data);
  };
  const reset = (next: Record<K, string> = initial) => {
    setValues(next);
    setClientErrors({});
  };
  return { values, errors, input, setValue, handleSubmit, reset };
}
