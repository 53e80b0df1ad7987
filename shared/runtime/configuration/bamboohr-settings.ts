import { BAMBOOHR_API_SECRET_ID } from "../../contract/setting-names.ts";
import { type BambooHrFieldMapping, DEFAULT_BAMBOOHR_MAPPING } from "./bamboohr-field-mapping.ts";
import type { CrossProblem, SettingValues } from "./read-settings.ts";
import { httpUrl, optionalText, string, wholeNumber } from "./setting-fields.ts";
import { checked, mapped, must, optional, orDefault } from "./setting-rule.ts";
import { isTimeZone } from "./time-zone.ts";

/**
 * Trimmed, `fallback` when not given. Set but empty is kept: a BambooHR field set empty
 * switches a target field off.
 */
const trimmedOr = (fallback: string) =>
  orDefault(
    mapped(string, (value) => value.trim()),
    fallback,
  );

/**
 * The BambooHR settings the webhook and the consumer share: where the API is and how BambooHR's
 * fields map to an event. The webhook maps field-based values with them, the consumer what it
 * reads back (a BambooHR signal), so both must be given the same values.
 */
export const bambooHrFields = {
  [BAMBOOHR_API_SECRET_ID]: optionalText,
  /** Undefined: `https://{companyDomain}.bamboohr.com`, the domain from the API secret. */
  BAMBOOHR_API_URL: optional(mapped(httpUrl, (url) => url.trim().replace(/\/+$/, ""))),
  /** Per attempt of an employee read. */
  BAMBOOHR_API_TIMEOUT_MS: wholeNumber(3_000, 500, 5_000),
  BAMBOOHR_STATUS_FIELD: checked(
    trimmedOr(DEFAULT_BAMBOOHR_MAPPING.statusField),
    must((field) => field !== "", "must not be empty"),
  ),
  BAMBOOHR_SUBJECT_FIELD: trimmedOr(DEFAULT_BAMBOOHR_MAPPING.subjectField),
  BAMBOOHR_EXTERNAL_ID_FIELD: trimmedOr(DEFAULT_BAMBOOHR_MAPPING.externalIdField),
  BAMBOOHR_LOGIN_FIELD: trimmedOr(DEFAULT_BAMBOOHR_MAPPING.loginField),
  BAMBOOHR_OSIS_CD_USER_FIELD: trimmedOr(DEFAULT_BAMBOOHR_MAPPING.osisCdUserField),
  /** The zone a termination date ends in: the offboard is scheduled for that day's end. */
  BAMBOOHR_TIME_ZONE: checked(
    trimmedOr(DEFAULT_BAMBOOHR_MAPPING.timeZone),
    must(isTimeZone, "must be an IANA time zone, such as UTC or Europe/Berlin"),
  ),
};

type BambooHrEnvironment = SettingValues<typeof bambooHrFields>;

/** At least one target field must stay set, or no BambooHR employee could become an event. */
export function checkBambooHrTargets(env: Partial<BambooHrEnvironment>): CrossProblem[] {
  const targets = [
    env.BAMBOOHR_EXTERNAL_ID_FIELD,
    env.BAMBOOHR_LOGIN_FIELD,
    env.BAMBOOHR_OSIS_CD_USER_FIELD,
  ];
  if (!targets.every((field) => field === "")) return [];
  return [
    {
      message:
        "BAMBOOHR_EXTERNAL_ID_FIELD, BAMBOOHR_LOGIN_FIELD and BAMBOOHR_OSIS_CD_USER_FIELD are all empty: a BambooHR event would name no target",
    },
  ];
}

export function bambooHrSettingsOf(env: BambooHrEnvironment) {
  const mapping: BambooHrFieldMapping = {
    statusField: env.BAMBOOHR_STATUS_FIELD,
    subjectField: env.BAMBOOHR_SUBJECT_FIELD,
    externalIdField: env.BAMBOOHR_EXTERNAL_ID_FIELD,
    loginField: env.BAMBOOHR_LOGIN_FIELD,
    osisCdUserField: env.BAMBOOHR_OSIS_CD_USER_FIELD,
    timeZone: env.BAMBOOHR_TIME_ZONE,
  };
  return {
    bamboohrApiSecretId: env.BAMBOOHR_API_SECRET_ID,
    bamboohrApiUrl: env.BAMBOOHR_API_URL,
    bamboohrApiTimeoutMs: env.BAMBOOHR_API_TIMEOUT_MS,
    bamboohrMapping: mapping,
  };
}
