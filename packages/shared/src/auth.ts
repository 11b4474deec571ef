import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema, timestampSchema, idSchema } from './common';

/** Global roles: admins manage users; everything project-related goes through project membership. */
export const userRoleSchema = z.enum(['admin', 'user']);
/** See {@link userRoleSchema}. */
export type UserRole = z.infer<typeof userRoleSchema>;

/** Disabled users cannot log in and lose their sessions. */
export const userStatusSchema = z.enum(['active', 'disabled']);
/** See {@link userStatusSchema}. */
export type UserStatus = z.infer<typeof userStatusSchema>;

/** A user as the API shows it (never the password hash). */
export const userViewSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  role: userRoleSchema,
  status: userStatusSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
  last_login_at: timestampSchema.nullable(),
});
/** See {@link userViewSchema}. */
export type UserView = z.infer<typeof userViewSchema>;

/** `POST /api/auth/login`. */
export const loginBodySchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(256),
});

/** `POST /api/auth/register` (only when registration is enabled). */
export const registerBodySchema = z.object({
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
});

/**
 * `POST /api/auth/refresh` and `/logout`: the refresh token comes in the body (programs) or the cookie
 * (browsers). The body may be absent (Fastify gives `null`).
 */
export const refreshBodySchema = z.object({ refresh_token: z.string().min(1).max(512).optional() }).nullish();

/** Tokens returned by login, register and refresh. `expires_in` is in seconds. */
export const tokenResponseSchema = z.object({
  token_type: z.literal('Bearer'),
  access_token: z.string(),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int(),
  user: userViewSchema,
});
/** See {@link tokenResponseSchema}. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** `GET /api/auth/me`: the user and how the request was authenticated. */
export const meResponseSchema = z.object({
  user: userViewSchema,
  auth_method: z.enum(['access_token', 'cookie', 'api_key']),
});

/** `PATCH /api/auth/me`: a user may change its own name. */
export const updateMeBodySchema = z.object({ name: nameSchema });

/** `POST /api/auth/me/password`. All other sessions are revoked when it succeeds. */
export const changePasswordBodySchema = z.object({
  current_password: z.string().min(1).max(256),
  new_password: passwordSchema,
});
