import { z } from 'zod';
import { emailSchema, idSchema } from './common';

/**
 * Project roles, weakest first: viewers read; analysts review; managers also configure rules and jobs;
 * owners manage members and delete the project.
 */
export const projectRoleSchema = z.enum(['viewer', 'analyst', 'manager', 'owner']);
/** See {@link projectRoleSchema}. */
export type ProjectRole = z.infer<typeof projectRoleSchema>;

const ROLE_RANK: Record<ProjectRole, number> = { viewer: 0, analyst: 1, manager: 2, owner: 3 };

/** True when `role` is at least as strong as `required`. */
export function hasProjectRole(role: ProjectRole, required: ProjectRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

/** Active projects can be worked on; archived ones are read-only until unarchived. */
export const projectStatusSchema = z.enum(['active', 'archived']);

/** A project as the API shows it, with the caller's role in it. */
export const projectViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  status: projectStatusSchema,
  created_by: idSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  my_role: projectRoleSchema,
});
/** See {@link projectViewSchema}. */
export type ProjectView = z.infer<typeof projectViewSchema>;

/** `POST /api/projects`. */
export const createProjectBodySchema = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).default(''),
});

/** `PATCH /api/projects/{id}`. */
export const updateProjectBodySchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(2000),
    status: projectStatusSchema,
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'Give at least one of name, description, status');

/** `GET /api/projects` query. */
export const listProjectsQuerySchema = z.object({
  status: projectStatusSchema.optional(),
});

/** `GET /api/projects`. */
export const projectListSchema = z.object({ items: z.array(projectViewSchema) });

/** A project member. */
export const memberViewSchema = z.object({
  user_id: idSchema,
  email: z.string(),
  name: z.string(),
  role: projectRoleSchema,
  added_at: z.string(),
});

/** `GET /api/projects/{id}/members`. */
export const memberListSchema = z.object({ items: z.array(memberViewSchema) });

/** `POST /api/projects/{id}/members`: by user id or by email. */
export const addMemberBodySchema = z
  .object({ user_id: idSchema.optional(), email: emailSchema.optional(), role: projectRoleSchema })
  .refine((value) => (value.user_id === undefined) !== (value.email === undefined), {
    message: 'Give exactly one of user_id or email',
    path: ['user_id'],
  });

/** `PATCH /api/projects/{id}/members/{user_id}`. */
export const updateMemberBodySchema = z.object({ role: projectRoleSchema });

/** `{ id, user_id }` path parameters of member routes. */
export const memberParamsSchema = z.object({ id: idSchema, user_id: idSchema });
