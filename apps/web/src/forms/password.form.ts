import { passwordSchema } from '@recon/shared';
import { z } from 'zod';

/** Changing one's password: the server's policy, plus the repeat check only a form needs. */
export const changePasswordFormSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password'),
    new_password: passwordSchema,
    confirm_password: z.string(),
  })
  .refine((values) => values.new_password === values.confirm_password, {
    message: 'The two new passwords differ',
    path: ['confirm_password'],
  })
  .refine((values) => values.new_password !== values.current_password, {
    message: 'Choose a password different from the current one',
    path: ['new_password'],
  });
