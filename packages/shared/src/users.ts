import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema, idSchema } from './common';
import { userRoleSchema, userStatusSchema, userViewSchema } from './auth';

/** `POST /api/users` (admin). */
export const createUserBodySchema = z.object({
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
  role: userRoleSchema.default('user'),
});

/** `PATCH /api/users/{id}` (admin): any subset of name, role, status. */
export const updateUserBodySchema = z
  .object({ name: nameSchema, role: userRoleSchema, status: userStatusSchema })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'Give at least one of name, role, status');

/** `GET /api/users` query. */
export const listUsersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `GET /api/users` response. */
export const userListSchema = z.object({ items: z.array(userViewSchema), total: z.number().int() });

/** An API key as listed: the secret is never shown again, only its prefix. */
export const apiKeyViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
/** See {@link apiKeyViewSchema}. */
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

/** `POST /api/auth/api-keys`. `expires_in_days` omitted → the key does not expire. */
export const createApiKeyBodySchema = z.object({
  name: nameSchema,
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

/** The created key: `key` is shown exactly once. */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });

/** `GET /api/auth/api-keys`. */
export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) });
