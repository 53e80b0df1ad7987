import { PLACEHOLDER } from "../../contract/secrets.ts";
import type { SettingValues } from "../../runtime/configuration/read-settings.ts";
import {
  datacenterUrl,
  osisBasePath,
  osisOrigin,
  string,
} from "../../runtime/configuration/setting-fields.ts";
import { checked, must, optional } from "../../runtime/configuration/setting-rule.ts";
import type {
  AccountPlatformCredentials,
  OsisCredentials,
} from "../../runtime/credentials/secret-shapes.ts";

/** A placeholder left in is refused, as it is in a secret. */
const credential = optional(
  checked(
    string,
    must((value) => value !== PLACEHOLDER, "still holds the placeholder"),
  ),
);

/**
 * Static platform credentials in the environment, for the local stack and the CLI (a deployed
 * function reads Secrets Manager instead, and never has them in its environment).
 */
const credentialFields = {
  ACCOUNT_PLATFORM_CLIENT_ID: credential,
  ACCOUNT_PLATFORM_CLIENT_SECRET: credential,
  OSIS_TOKEN: credential,
  OSIS_USERNAME: credential,
  OSIS_PASSWORD: credential,
};

/**
 * The platforms as the local stack and the CLI take them from the environment: a URL names a
 * real platform (instead of a simulator, or the local stack file's), with static credentials.
 */
export const givenPlatformFields = {
  ACCOUNT_PLATFORM_URL: optional(datacenterUrl),
  OSIS_URL: optional(osisOrigin),
  OSIS_BASE_PATH: osisBasePath,
  ...credentialFields,
};

type GivenCredentials = Partial<SettingValues<typeof credentialFields>>;

export interface StaticPlatformCredentials {
  /** Both ACCOUNT_PLATFORM_CLIENT_ID and _CLIENT_SECRET, or undefined. */
  accountPlatform: AccountPlatformCredentials | undefined;
  /** OSIS_TOKEN, else both OSIS_USERNAME and OSIS_PASSWORD, or undefined. */
  osis: OsisCredentials | undefined;
}

/** The complete sets among the parsed credential variables. */
export function staticPlatformCredentials(given: GivenCredentials): StaticPlatformCredentials {
  const clientId = given.ACCOUNT_PLATFORM_CLIENT_ID;
  const clientSecret = given.ACCOUNT_PLATFORM_CLIENT_SECRET;
  const { OSIS_TOKEN: token, OSIS_USERNAME: username, OSIS_PASSWORD: password } = given;
  return {
    accountPlatform: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    osis: token ? { token } : username && password ? { username, password } : undefined,
  };
}
