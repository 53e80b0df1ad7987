import {
  ACCOUNT_PLATFORM_SECRET_ID,
  ACCOUNT_PLATFORM_URL,
  OSIS_BASE_PATH,
  OSIS_SECRET_ID,
  OSIS_URL,
} from "../../contract/setting-names.ts";
import { datacenterUrl, oneOf, optionalText, osisBasePath, osisOrigin } from "./setting-fields.ts";
import { orDefault, setting } from "./setting-rule.ts";

/**
 * The account platform and OSIS as the consumer and the reconciliation both read them; a file
 * of its own so that the webhook, which reads neither platform, does not bundle them.
 */
export const platformFields = {
  [ACCOUNT_PLATFORM_URL]: datacenterUrl,
  [ACCOUNT_PLATFORM_SECRET_ID]: optionalText,
  [OSIS_URL]: osisOrigin,
  [OSIS_BASE_PATH]: osisBasePath,
  [OSIS_SECRET_ID]: optionalText,
};

/** The platforms' settings as a reader's config holds them, from `platformFields`' values. */
export function platformSettingsOf(env: {
  ACCOUNT_PLATFORM_URL: string;
  ACCOUNT_PLATFORM_SECRET_ID?: string | undefined;
  OSIS_URL: string;
  OSIS_BASE_PATH: string;
  OSIS_SECRET_ID?: string | undefined;
}) {
  return {
    accountPlatform: { url: env.ACCOUNT_PLATFORM_URL, secretId: env.ACCOUNT_PLATFORM_SECRET_ID },
    osis: { url: env.OSIS_URL, basePath: env.OSIS_BASE_PATH, secretId: env.OSIS_SECRET_ID },
  };
}

/**
 * OSIS_CREDENTIALS, read by the consumer and the reconciliation: `deactivate` (the default)
 * turns an offboarded person's OSIS S3 keys off with the user, and a rehire back on; `ignore`
 * leaves keys alone.
 */
export const osisCredentials = setting(
  orDefault(
    oneOf(
      ["deactivate", "ignore"],
      (given) => `must be deactivate or ignore (got ${JSON.stringify(given)})`,
    ),
    "deactivate",
  ),
);
