import type { FormSchema } from './validate';

export interface SignInValues {
  email: string;
  password: string;
}

// Deliberately not zod: the sign-in page is on the first screen and should stay light.
// The server validates again; this only catches empty inputs and obvious typos before a round trip.
/** Validates the sign-in form. */
export const signInSchema: FormSchema<SignInValues> = {
  safeParse(value) {
    const record = (typeof value === 'object' && value !== null ? value : {}) as Partial<
      Record<string, unknown>
    >;
    const email = typeof record.email === 'string' ? record.email.trim().toLowerCase() : '';
    const password = typeof record.password === 'string' ? record.password : '';
    const issues: { path: string[]; message: string }[] = [];
    if (email === '') issues.push({ path: ['email'], message: 'Enter your email address' });
    else if (!/^[^\s@]+@[^\s@]+$/.test(email))
      issues.push({ path: ['email'], message: 'Enter a valid email address' });
    if (password === '') issues.push({ path: ['password'], message: 'Enter your password' });
    return issues.length === 0
      ? { success: true, data: { email, password } }
      : { success: false, error: { issues } };
  },
};
