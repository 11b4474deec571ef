import { emailSchema, projectRoleSchema } from '@recon/shared';
import { z } from 'zod';

/** Adding a member by email: the shared email rule and role list. */
export const addMemberSchema = z.object({ email: emailSchema, role: projectRoleSchema });
