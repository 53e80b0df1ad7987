import { PLACEHOLDER } from "../../contract/secrets.ts";
import * as z from "../events/zod-mini.ts";

/**
 * The secrets' JSON shapes (README.md, "Fill in the secrets"). The stack makes each from a template
 * whose values are PLACEHOLDER; a secret still holding it is refused with a clear message.
 */
export const STILL_PLACEHOLDER = "still holds the placeholder: fill in the secret";

const value = z.string().check(
  z.minLength(1),
  z.refine((v) => v !== PLACEHOLDER, STILL_PLACEHOLDER),
);

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
  keys: z.array(value).check(z.minLength(1, "must hold at least one key")),
});
export interface SigningKeys {
  keys: string[];
  /**
   * The sources a key may sign events of, for keys limited to some (the Standard Webhooks
   * secret's `{"key", "sources"}` entries); a key not named here may sign any source.
   */
  sourcesOf?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

/** A BambooHR key is HMAC text chosen by BambooHR; anything shorter was mistyped or truncated. */
export const MIN_BAMBOOHR_KEY_BYTES = 32;

/**
 * BambooHR's keys. BambooHR is optional: its secret left as the stack created it (the
 * placeholder alone) reads as no keys, so `/bamboohr` authenticates no request; once the secret
 * is filled, the keys are read within a minute (SigningKeyring's forced refresh). A placeholder
 * next to real keys is still refused, and so is a key shorter than 32 bytes (messages name its
 * position only).
 */
export const bambooHrKeysSchema = z.pipe(
  z.object({
    keys: z
      .array(z.string().check(z.minLength(1)))
      .check(z.minLength(1, "must hold at least one key")),
  }),
  z.transform(({ keys }: { keys: string[] }, context): SigningKeys => {
    if (keys.length === 1 && keys[0] === PLACEHOLDER) return { keys: [] };
    keys.forEach((key, index) => {
      const message =
        key === PLACEHOLDER
          ? STILL_PLACEHOLDER
          : Buffer.byteLength(key) < MIN_BAMBOOHR_KEY_BYTES
            ? `is shorter than ${MIN_BAMBOOHR_KEY_BYTES} bytes: use the key BambooHR showed`
            : undefined;
      if (message !== undefined) {
        context.issues.push({ code: "custom", path: ["keys", index], message, input: key });
      }
    });
    return { keys };
  }),
);

/** A DNS label: the company's subdomain of bamboohr.com, so it can only ever name that host. */
const COMPANY_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * BambooHR's API key, for reading employees named by event-based deliveries. Optional like the
 * signing keys: the secret left as the stack created it (every value the placeholder) reads as
 * `undefined`, and event-based deliveries are answered 503 until it is filled; a placeholder
 * beside a real value is refused.
 */
export const bambooHrApiCredentialsSchema = z.pipe(
  z.object({
    apiKey: z.string().check(z.minLength(1)),
    companyDomain: z.string().check(z.minLength(1)),
  }),
  z.transform((secret: BambooHrApiCredentials, context): BambooHrApiCredentials | undefined => {
    if (secret.apiKey === PLACEHOLDER && secret.companyDomain === PLACEHOLDER) return undefined;
    for (const key of ["apiKey", "companyDomain"] as const) {
      if (secret[key] === PLACEHOLDER) {
        context.issues.push({ code: "custom", path: [key], message: STILL_PLACEHOLDER, input: "" });
      }
    }
    if (secret.companyDomain !== PLACEHOLDER && !COMPANY_DOMAIN.test(secret.companyDomain)) {
      context.issues.push({
        code: "custom",
        path: ["companyDomain"],
        message: "must be the company's subdomain of bamboohr.com (letters, digits and -)",
        input: "",
      });
    }
    return secret;
  }),
);
export interface BambooHrApiCredentials {
  apiKey: string;
  companyDomain: string;
}
