import { describe, expect, it } from 'vitest';
import {
  AppError,
  ERROR_CODES,
  addMemberBodySchema,
  hasProjectRole,
  isErrorCode,
  passwordSchema,
  problemType,
  statusOf,
} from '../src/index';

describe('error registry', () => {
  it('uses UPPER_SNAKE codes with an HTTP error status each', () => {
    for (const [code, { status, title }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(title.length).toBeGreaterThan(0);
    }
  });

  it('gives AppError the status of its code and keeps headers and field errors', () => {
    const error = new AppError('TOO_MANY_LOGIN_ATTEMPTS', 'wait', {
      headers: { 'retry-after': '60' },
      errors: [{ in: 'body', field: 'email', message: 'locked' }],
    });
    expect(error.status).toBe(429);
    expect(error.message).toBe('wait');
    expect(error.headers).toEqual({ 'retry-after': '60' });
    expect(new AppError('PROJECT_NOT_FOUND').message).toBe('Project not found');
    expect(statusOf('LAST_OWNER')).toBe(409);
    expect(problemType('NOT_FOUND')).toBe('urn:recon:error:NOT_FOUND');
    expect(isErrorCode('FORBIDDEN')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('project roles', () => {
  it('orders viewer < analyst < manager < owner', () => {
    expect(hasProjectRole('owner', 'manager')).toBe(true);
    expect(hasProjectRole('manager', 'manager')).toBe(true);
    expect(hasProjectRole('analyst', 'manager')).toBe(false);
    expect(hasProjectRole('viewer', 'analyst')).toBe(false);
  });

  it('requires exactly one of user_id or email to add a member', () => {
    expect(addMemberBodySchema.safeParse({ email: 'A@B.example', role: 'viewer' }).data?.email).toBe(
      'a@b.example',
    );
    expect(addMemberBodySchema.safeParse({ role: 'viewer' }).success).toBe(false);
  });
});

describe('password policy', () => {
  it('accepts long passphrases and rejects short, repetitive or padded ones', () => {
    expect(passwordSchema.safeParse('correct horse battery').success).toBe(true);
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('aaaaaaaaaaaaaaaa').success).toBe(false);
    expect(passwordSchema.safeParse(' leading space pass').success).toBe(false);
  });
});
