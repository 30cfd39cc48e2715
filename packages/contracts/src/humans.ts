import { z } from 'zod';
import { idSchema, objectDetailsSchema } from './details.js';
import { userNameSchema } from './users.js';

/** Passwords Tessera accepts: long enough to resist guessing online, with no rules about which characters. */
export const PASSWORD_MIN_LENGTH = 8;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(1024, 'Password must be at most 1024 characters');

const profileText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/**
 * AddHumanUser (POST /management/v1/users/human), in ZITADEL's shape. Tessera keeps the username, the
 * display name (or "first last" when none is given) and the password; the other profile fields, the email
 * and the phone are accepted so ZITADEL's clients can send them, and not kept (Tessera sends no mail).
 * Without an initialPassword Tessera generates one and answers it, once. Either way the user must choose
 * their own at the first sign-in.
 */
export const addHumanUserSchema = z
  .strictObject({
    userName: userNameSchema,
    profile: z.strictObject({
      firstName: profileText(200).optional(),
      lastName: profileText(200).optional(),
      nickName: profileText(200).optional(),
      displayName: profileText(200).optional(),
      preferredLanguage: profileText(10).optional(),
      gender: z.enum(['GENDER_UNSPECIFIED', 'GENDER_FEMALE', 'GENDER_MALE', 'GENDER_DIVERSE']).optional(),
    }),
    email: z.strictObject({ email: z.email('must be an email address').max(200), isEmailVerified: z.boolean().optional() }).optional(),
    phone: z.strictObject({ phone: z.string().max(200), isPhoneVerified: z.boolean().optional() }).optional(),
    initialPassword: passwordSchema.optional(),
  })
  .transform((r, ctx) => {
    const displayName = r.profile.displayName || [r.profile.firstName, r.profile.lastName].filter(Boolean).join(' ');
    if (!displayName) {
      ctx.addIssue({ code: 'custom', path: ['profile', 'displayName'], message: 'Display Name is required (or a first and last name)' });
      return z.NEVER;
    }
    return { userName: r.userName, displayName, initialPassword: r.initialPassword };
  });
export type AddHumanUserRequest = z.input<typeof addHumanUserSchema>;
export type AddHumanUser = z.output<typeof addHumanUserSchema>;

export const addHumanUserResponseSchema = z.strictObject({
  userId: idSchema,
  details: objectDetailsSchema,
  initialPassword: z.string().optional().describe("Tessera's: the password it generated when none was given, shown only in this answer."),
});
export type AddHumanUserResponse = z.infer<typeof addHumanUserResponseSchema>;

/** UpdateMyPassword (PUT /auth/v1/users/me/password): the current password proves it is still you. */
export const updateMyPasswordSchema = z.strictObject({
  oldPassword: z.string().min(1, 'Current password is required').max(1024),
  newPassword: passwordSchema,
});
export type UpdateMyPasswordRequest = z.input<typeof updateMyPasswordSchema>;
