import { z } from 'zod';

/** A UUID path or body id. */
export const idSchema = z.uuid();

/** Timestamps on the wire are ISO 8601 strings in UTC. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** `{ id }` path parameters. */
export const idParamsSchema = z.object({ id: idSchema });

/** Email addresses are compared case-insensitively, so they travel lower-cased. */
export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

/** Display names: trimmed, 1–200 characters. */
export const nameSchema = z.string().trim().min(1).max(200);

/**
 * The password policy, shared so the web app can check before sending.
 * Length is what matters (NIST SP 800-63B); the upper bound keeps hashing cheap.
 */
export const passwordSchema = z
  .string()
  .min(12, 'Password must be at least 12 characters')
  .max(256, 'Password must be at most 256 characters')
  .refine((value) => new Set(value).size >= 4, 'Password must use at least 4 different characters')
  .refine((value) => value.trim().length === value.length, 'Password must not start or end with spaces');

/** An empty successful response body. */
export const okSchema = z.object({ ok: z.literal(true) });
