import { PLACEHOLDER } from "../../contract/secrets.ts";
import {
  type FieldCheck,
  fieldsOf,
  fits,
  INVALID_INPUT,
  isObject,
  listOf,
  refused,
  type ShapeProblem,
  type ShapeResult,
  text,
} from "./shape-checks.ts";

/**
 * The secrets' JSON shapes (README.md, "Fill in the secrets"), checked by plain functions: the
 * consumer checks two secrets before its handler exists, and a schema library would cost its
 * cold start more than these few rules. The stack makes each secret from a template whose values
 * are PLACEHOLDER; a secret still holding it is refused with a clear message. Messages name a
 * field or a key's position, never a value.
 */
export const STILL_PLACEHOLDER = "still holds the placeholder: fill in the secret";

/** A non-empty string other than the placeholder. */
const filled: FieldCheck<string> = (value, path) => {
  const checked = text(value, path);
  if (checked.ok && checked.value === PLACEHOLDER) {
    return refused([{ path, message: STILL_PLACEHOLDER }]);
  }
  return checked;
};

export interface AccountPlatformCredentials {
  clientId: string;
  clientSecret: string;
}

export function accountPlatformCredentialsShape(
  json: unknown,
): ShapeResult<AccountPlatformCredentials> {
  return fieldsOf<AccountPlatformCredentials>(json, { clientId: filled, clientSecret: filled });
}

export type OsisCredentials = { username: string; password: string } | { token: string };

/**
 * OSIS takes a username and password, or a token:
 * 1. the first of the two that fits, username and password first (other fields are left out);
 * 2. else the problems of the one the secret meant: the only one whose fields are all strings;
 * 3. else (neither or both meant) zod's message for a choice, "Invalid input", as before.
 */
export function osisCredentialsShape(json: unknown): ShapeResult<OsisCredentials> {
  const byPassword = fieldsOf<{ username: string; password: string }>(json, {
    username: filled,
    password: filled,
  });
  if (byPassword.ok) return byPassword;
  const byToken = fieldsOf<{ token: string }>(json, { token: filled });
  if (byToken.ok) return byToken;
  const strings = (...names: string[]) =>
    isObject(json) && names.every((name) => typeof json[name] === "string");
  const meantPassword = strings("username", "password");
  const meantToken = strings("token");
  if (meantPassword && !meantToken) return byPassword;
  if (meantToken && !meantPassword) return byToken;
  return refused([{ path: [], message: INVALID_INPUT }]);
}

export interface SigningKeys {
  keys: string[];
  /**
   * The sources a key may sign events of, for keys limited to some (the Standard Webhooks
   * secret's `{"key", "sources"}` entries); a key not named here may sign any source.
   */
  sourcesOf?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

const AT_LEAST_ONE_KEY = "must hold at least one key";

export function signingKeysShape(json: unknown): ShapeResult<SigningKeys> {
  return fieldsOf<SigningKeys>(json, { keys: listOf(filled, AT_LEAST_ONE_KEY) });
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
export function bambooHrKeysShape(json: unknown): ShapeResult<SigningKeys> {
  const checked = fieldsOf<{ keys: string[] }>(json, { keys: listOf(text, AT_LEAST_ONE_KEY) });
  if (!checked.ok) return checked;
  const { keys } = checked.value;
  if (keys.length === 1 && keys[0] === PLACEHOLDER) return fits({ keys: [] });
  const problems = keys.flatMap((key, index): ShapeProblem[] => {
    const message =
      key === PLACEHOLDER
        ? STILL_PLACEHOLDER
        : Buffer.byteLength(key) < MIN_BAMBOOHR_KEY_BYTES
          ? `is shorter than ${MIN_BAMBOOHR_KEY_BYTES} bytes: use the key BambooHR showed`
          : undefined;
    return message === undefined ? [] : [{ path: ["keys", index], message }];
  });
  return problems.length > 0 ? refused(problems) : fits({ keys });
}

/** A DNS label: the company's subdomain of bamboohr.com, so it can only ever name that host. */
const COMPANY_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export interface BambooHrApiCredentials {
  apiKey: string;
  companyDomain: string;
}

/**
 * BambooHR's API key, for reading employees named by event-based deliveries. Optional like the
 * signing keys: the secret left as the stack created it (every value the placeholder) reads as
 * `undefined`, and event-based deliveries are answered 503 until it is filled; a placeholder
 * beside a real value is refused.
 */
export function bambooHrApiCredentialsShape(
  json: unknown,
): ShapeResult<BambooHrApiCredentials | undefined> {
  const checked = fieldsOf<BambooHrApiCredentials>(json, { apiKey: text, companyDomain: text });
  if (!checked.ok) return checked;
  const secret = checked.value;
  if (secret.apiKey === PLACEHOLDER && secret.companyDomain === PLACEHOLDER) return fits(undefined);
  const problems: ShapeProblem[] = (["apiKey", "companyDomain"] as const)
    .filter((name) => secret[name] === PLACEHOLDER)
    .map((name) => ({ path: [name], message: STILL_PLACEHOLDER }));
  if (secret.companyDomain !== PLACEHOLDER && !COMPANY_DOMAIN.test(secret.companyDomain)) {
    problems.push({
      path: ["companyDomain"],
      message: "must be the company's subdomain of bamboohr.com (letters, digits and -)",
    });
  }
  return problems.length > 0 ? refused(problems) : fits(secret);
}
