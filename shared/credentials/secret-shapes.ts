import * as z from "zod";

/**
 * The JSON shapes of the secrets (design brief). The stack creates each secret from a template
 * whose values are PLACEHOLDER; a secret still holding it is refused with a clear message.
 */
export const PLACEHOLDER = "REPLACE_ME";

const value = z
  .string()
  .min(1)
  .refine((v) => v !== PLACEHOLDER, "still holds the placeholder: fill in the secret");

export const accountPlatformCredentialsSchema = z.object({
  clientId: value,
  clientSecret: value,
});
export type AccountPlatformCredentials = z.infer<typeof accountPlatformCredentialsSchema>;

export const osisCredentialsSchema = z.union([
  z.object({ username: value, password: value }),
  z.object({ token: value }),
]);
export type OsisCredentials = z.infer<typeof osisCredentialsSchema>;

export const signingKeysSchema = z.object({
  keys: z.array(value).min(1, "must hold at least one key"),
});
export type SigningKeys = z.infer<typeof signingKeysSchema>;
