import { isApiError } from '../api/api-error';

/** Messages by input name (`email`, `new_password`). */
export type FieldErrors = Record<string, string>;

interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  minimum?: unknown;
  format?: string;
}

/** Anything with zod's `safeParse` shape, so shared schemas can validate forms before sending. */
export interface FormSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

export type ValidationResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

// Generic schema messages read like a compiler; these say what the person should do.
// Messages a schema author wrote on purpose are kept as they are.
function friendlyMessage(issue: Issue): string {
  const isDefault = /^(Too small|Invalid input|Invalid email|Invalid string)/.test(issue.message);
  if (!isDefault) return issue.message;
  if (issue.code === 'too_small' && (issue.minimum === 1 || issue.minimum === 1n))
    return 'This field is required';
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'Enter a valid email address';
  if (issue.code === 'invalid_type') return 'This field is required';
  return issue.message;
}

/** Checks form values against a schema; the first problem of each input wins. */
export function validate<T>(schema: FormSchema<T>, values: unknown): ValidationResult<T> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= friendlyMessage(issue);
  }
  return { ok: false, errors };
}

/** The server's field errors from a failed request, by input name. */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (!isApiError(error)) return {};
  const errors: FieldErrors = {};
  for (const fieldError of error.fieldErrors) {
    errors[fieldError.path] ??= fieldError.message;
  }
  return errors;
}

/** Client-side messages first (they are current), then what the server said about the last attempt. */
export function mergeFieldErrors(client: FieldErrors, error: unknown): FieldErrors {
  return { ...serverFieldErrors(error), ...client };
}

/** A state updater that forgets one input's client message, once the person edits that input. */
export function dropField(name: string): (errors: FieldErrors) => FieldErrors {
  return (errors) => {
    if (!(name in errors)) return errors;
    return Object.fromEntries(Object.entries(errors).filter(([key]) => key !== name));
  };
}
