import { createUserBodySchema } from '@recon/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { changePasswordFormSchema } from './password.form';
import { signInSchema } from './sign-in.form';
import { dropField, mergeFieldErrors, validate } from './validate';

describe('validate', () => {
  it('returns the parsed data when the form is valid', () => {
    const result = validate(signInSchema, { email: ' Ana@Example.com ', password: 'x' });
    expect(result).toEqual({ ok: true, data: { email: 'ana@example.com', password: 'x' } });
  });

  it('asks for empty sign-in inputs in plain words', () => {
    const result = validate(signInSchema, { email: '', password: '' });
    expect(result).toEqual({
      ok: false,
      errors: { email: 'Enter your email address', password: 'Enter your password' },
    });
  });

  it('rejects an email without an @', () => {
    const result = validate(signInSchema, { email: 'ana.example.com', password: 'x' });
    expect(result.ok ? undefined : result.errors.email).toBe('Enter a valid email address');
  });

  it('applies the shared password policy and replaces schema jargon with what to do', () => {
    const result = validate(createUserBodySchema, {
      email: 'nope',
      name: '',
      password: 'short',
      role: 'user',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.email).toBe('Enter a valid email address');
    expect(result.errors.name).toBe('This field is required');
    expect(result.errors.password).toBe('Password must be at least 12 characters');
  });

  it('puts the repeat-password mismatch under the repeat input', () => {
    const result = validate(changePasswordFormSchema, {
      current_password: 'old password 123',
      new_password: 'a new passphrase',
      confirm_password: 'a new passphrasf',
    });
    expect(result.ok ? {} : result.errors).toEqual({ confirm_password: 'The two new passwords differ' });
  });
});

describe('mergeFieldErrors', () => {
  it('shows the server’s field errors, with fresh client messages taking precedence', () => {
    const server = new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'The request is not valid',
      detail: 'The request is not valid',
      fieldErrors: [
        { path: 'email', message: 'Taken' },
        { path: 'name', message: 'Too long' },
      ],
    });
    expect(mergeFieldErrors({ name: 'This field is required' }, server)).toEqual({
      email: 'Taken',
      name: 'This field is required',
    });
  });

  it('ignores errors that are not from the API', () => {
    expect(mergeFieldErrors({}, new Error('boom'))).toEqual({});
  });
});

describe('dropField', () => {
  it('forgets only the edited input’s message', () => {
    expect(
      dropField('name')({ name: 'This field is required', email: 'Enter a valid email address' }),
    ).toEqual({
      email: 'Enter a valid email address',
    });
  });

  it('keeps the same object when there is nothing to forget, so React skips the render', () => {
    const errors = { email: 'x' };
    expect(dropField('name')(errors)).toBe(errors);
  });
});
