import { DEFAULT_MAX_FUTURE_SECONDS, DEFAULT_MAX_SCHEDULE_DAYS } from "../events/event-limits.ts";
import { normalizeDatacenterUrl } from "./datacenter-url.ts";
import { httpUrlProblems } from "./http-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "./osis-base-url.ts";
import { DEFAULT_PLATFORM_TIMEOUT_MS } from "./platform-timeout.ts";
import {
  accepted,
  checked,
  mapped,
  must,
  orDefault,
  orUndefined,
  refused,
  type SettingRule,
  setting,
} from "./setting-rule.ts";

/**
 * The one set of setting rules that every configuration is composed of: the functions'
 * environment loaders, the CDK context (infra/configuration.ts), the local stack
 * (local/platform-setup.ts) and the CLI. Read with `readSettings` (read-settings.ts).
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Text; the problems of a missing value and of one that is not text. */
export const string: SettingRule<string> = (given) => {
  if (typeof given === "string") return accepted(given);
  return refused(
    given === undefined ? "is required" : `must be a string (got ${JSON.stringify(given)})`,
  );
};

export const text = setting(string);
export const optionalText = setting(orUndefined(string));

/** A comma-separated string (or, in the CDK context, a list): the entries, blanks dropped. */
export const list = setting(
  orDefault<string[]>((given) => {
    const entries =
      typeof given === "string"
        ? given.split(",")
        : Array.isArray(given) && given.every((entry) => typeof entry === "string")
          ? given
          : undefined;
    if (entries === undefined) {
      return refused("must be a comma-separated string or a list of strings");
    }
    return accepted(entries.map((entry) => entry.trim()).filter((entry) => entry !== ""));
  }, []),
);

export const fifoQueueUrl = setting(
  checked(string, (url) => {
    if (!URL.canParse(url)) return "must be a queue URL";
    return url.endsWith(".fifo") ? undefined : "must name a FIFO queue (.fifo)";
  }),
);

/** An absolute http(s) URL without user info, query or fragment, as given. */
export const httpUrl: SettingRule<string> = (given) => {
  const read = string(given);
  if (!read.ok) return read;
  const problems = httpUrlProblems(read.value);
  return problems.length > 0 ? refused(...problems) : read;
};
export const platformUrl = setting(httpUrl);
/** ACCOUNT_PLATFORM_URL: the datacenter URL, a trailing `/api/2` stripped. */
export const datacenterUrl = mapped(platformUrl, (url) => normalizeDatacenterUrl(url));
/** OSIS_URL: the origin; the base path is a setting of its own. */
export const osisOrigin = mapped(platformUrl, (url) => new URL(url).origin);
export const osisBasePath = setting(
  orDefault(
    checked(
      string,
      must((path) => path.startsWith("/"), 'must start with "/"'),
    ),
    DEFAULT_OSIS_BASE_PATH,
  ),
);

/** A whole number from `min` to `max`; `fallback` when not given. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  setting((given) => {
    if (given === undefined) return accepted(fallback);
    const number = typeof given === "string" ? Number(given) : given;
    if (typeof number === "number" && Number.isInteger(number) && number >= min && number <= max)
      return accepted(number);
    return refused(`must be a whole number from ${min} to ${max} (got ${JSON.stringify(given)})`);
  });

/**
 * LIFECYCLE_MAX_FUTURE_SECONDS, read alike by the webhook, the consumer and `lifecycle send`:
 * how far ahead of now an event's `time` may be.
 */
export const maxFutureSeconds = wholeNumber(DEFAULT_MAX_FUTURE_SECONDS, 0, 86_400);
/** LIFECYCLE_MAX_SCHEDULE_DAYS: how far ahead `data.effectiveAt` may be, in days. */
export const maxScheduleDays = wholeNumber(DEFAULT_MAX_SCHEDULE_DAYS, 1, 3_650);
/** CONSUMER_PLATFORM_TIMEOUT_MS, RECONCILE_PLATFORM_TIMEOUT_MS: per HTTP attempt to a platform. */
export const platformTimeoutMs = wholeNumber(DEFAULT_PLATFORM_TIMEOUT_MS, 100, 60_000);

/** `true`/`false` (as text or JSON), and in the environment 1/0, yes/no, on/off too. */
const flag = (fallback: boolean, words: { true: string[]; false: string[] }) =>
  setting((given) => {
    if (given === undefined) return accepted(fallback);
    const word = String(given).toLowerCase();
    if (words.true.includes(word)) return accepted(true);
    if (words.false.includes(word)) return accepted(false);
    return refused(`must be true or false (got ${JSON.stringify(given)})`);
  });
export const onOff = flag(false, {
  true: ["true", "1", "yes", "on"],
  false: ["false", "0", "no", "off"],
});
export const trueOrFalse = (fallback: boolean) =>
  flag(fallback, { true: ["true"], false: ["false"] });

/** One of `choices`; `problem` says what else was given. */
export const oneOf =
  <const C extends readonly string[]>(
    choices: C,
    problem: (given: unknown) => string,
  ): SettingRule<C[number]> =>
  (given) =>
    choices.includes(given as string) ? accepted(given as C[number]) : refused(problem(given));
