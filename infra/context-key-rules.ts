import {
  httpUrl,
  oneOf,
  string,
  wholeNumber,
} from "../shared/runtime/configuration/setting-fields.ts";
import {
  type Condition,
  checked,
  matches,
  must,
  optional,
  orDefault,
  setting,
} from "../shared/runtime/configuration/setting-rule.ts";

/** The application log levels the functions' logger writes (Lambda also knows TRACE and FATAL). */
const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

export const logLevel = setting(
  orDefault(
    oneOf(LOG_LEVELS, () => `must be one of ${LOG_LEVELS.join(", ")}`),
    "INFO",
  ),
);
export const logRetentionDays = checked(
  wholeNumber(30, 1, 3653),
  must(
    (days) => LOG_RETENTION_DAYS.includes(days),
    `must be one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(", ")}`,
  ),
);

/** A complete ARN: it ends in the random six-character suffix Secrets Manager adds to the name. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
/** EventBridge: `rate(1 day)`, `rate(12 hours)`, or a six-field `cron(…)`. */
export const SCHEDULE_EXPRESSION =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;

/** An https URL, optional (a platform's URL then defaults to its example value). */
export const httpsUrl = optional(
  checked(
    httpUrl,
    must((url) => new URL(url).protocol === "https:", "must be an https URL"),
  ),
);
export const secretArn = optional(
  checked(
    string,
    matches(
      SECRET_ARN,
      "must be the complete ARN of a secret (arn:aws:secretsmanager:…:secret:name-AbCdEf)",
    ),
  ),
);
/** Text that meets `conditions`, `fallback` when not given. */
export const textOr = (fallback: string, ...conditions: Condition<string>[]) =>
  setting(orDefault(checked(string, ...conditions), fallback));

/** EventBridge's rule for a bus name. */
export const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
/** An HTTP header name (RFC 9110's token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,512}$/;

/** A list setting as one comma-separated value. */
export function joinedEntries(entries: string[]): string {
  return entries.join(",");
}
