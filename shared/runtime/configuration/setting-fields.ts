import { ConfigurationError } from "../errors/configuration-error.ts";
import { DEFAULT_MAX_FUTURE_SECONDS, DEFAULT_MAX_SCHEDULE_DAYS } from "../events/event-limits.ts";
import * as z from "../events/zod-mini.ts";
import { normalizeDatacenterUrl } from "./datacenter-url.ts";
import { httpUrlProblems } from "./http-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "./osis-base-url.ts";
import { DEFAULT_PLATFORM_TIMEOUT_MS } from "./platform-timeout.ts";

/**
 * The one set of setting rules (zod schemas) that every configuration is composed of: the
 * functions' environment loaders (this folder), the CDK context (infra/configuration.ts), the
 * local stack (local/platform-setup.ts) and the CLI. A rule's message does not name the
 * setting: `parseSettings` puts the variable or context key in front, so one rule reads the
 * same wherever it is used.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Trimmed; blank and missing are both "not given". */
export function givenText(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Trimmed; blank, null and missing are all "not given". */
function givenValue(value: unknown): unknown {
  return typeof value === "string" ? givenText(value) : (value ?? undefined);
}

/**
 * For a schema's cross-setting checks (`z.superRefine(check, everyTime)`): they run even when
 * another setting is bad, so the one error names every problem. No rule here aborts explicitly
 * (`abort: true`): zod would then skip even these checks.
 */
export const everyTime = { when: () => true };

/** `schema` applied to the given value (see `givenValue`). */
export const setting = <T extends z.core.$ZodType>(schema: T) =>
  z.pipe(z.transform(givenValue), schema);

/** Text; the messages for a missing value and for one that is not text. */
export const string = z.string({
  error: (issue) =>
    issue.input === undefined
      ? "is required"
      : `must be a string (got ${JSON.stringify(issue.input)})`,
});

/** `field`, or undefined when not given. */
export const optional = <T extends z.core.$ZodType>(field: T) => setting(z.optional(field));

export const text = setting(string);
export const optionalText = setting(z.optional(string));

/** A comma-separated string (or, in the CDK context, a list): the entries, blanks dropped. */
export const list = setting(
  z.pipe(
    z._default(
      z.union(
        [
          z.pipe(
            string,
            z.transform((value: string) => value.split(",")),
          ),
          z.array(string),
        ],
        { error: "must be a comma-separated string or a list of strings" },
      ),
      [],
    ),
    z.transform((entries: string[]) =>
      entries.map((entry) => entry.trim()).filter((entry) => entry !== ""),
    ),
  ),
);

export const fifoQueueUrl = setting(
  string.check(
    z.superRefine((url, context) => {
      if (!URL.canParse(url)) context.addIssue({ code: "custom", message: "must be a queue URL" });
      else if (!url.endsWith(".fifo")) {
        context.addIssue({ code: "custom", message: "must name a FIFO queue (.fifo)" });
      }
    }),
  ),
);

/** An absolute http(s) URL without user info, query or fragment, as given. */
export const httpUrl = string.check(
  z.superRefine((raw, context) => {
    for (const message of httpUrlProblems(raw)) context.addIssue({ code: "custom", message });
  }),
);
export const platformUrl = setting(httpUrl);
/** ACCOUNT_PLATFORM_URL: the datacenter URL, a trailing `/api/2` stripped. */
export const datacenterUrl = z.pipe(
  platformUrl,
  z.transform((url: string) => normalizeDatacenterUrl(url)),
);
/** OSIS_URL: the origin; the base path is a setting of its own. */
export const osisOrigin = z.pipe(
  platformUrl,
  z.transform((url: string) => new URL(url).origin),
);
export const osisBasePath = setting(
  z._default(string.check(z.startsWith("/", 'must start with "/"')), DEFAULT_OSIS_BASE_PATH),
);

/** A whole number from `min` to `max`; `fallback` when not given. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  setting(
    z.transform((value: unknown, context) => {
      if (value === undefined) return fallback;
      const number = typeof value === "string" ? Number(value) : value;
      if (typeof number === "number" && Number.isInteger(number) && number >= min && number <= max)
        return number;
      context.issues.push({
        code: "custom",
        input: value,
        message: `must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }),
  );

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
  setting(
    z.transform((value: unknown, context) => {
      if (value === undefined) return fallback;
      const word = String(value).toLowerCase();
      if (words.true.includes(word)) return true;
      if (words.false.includes(word)) return false;
      context.issues.push({
        code: "custom",
        input: value,
        message: `must be true or false (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }),
  );
export const onOff = flag(false, {
  true: ["true", "1", "yes", "on"],
  false: ["false", "0", "no", "off"],
});
export const trueOrFalse = (fallback: boolean) =>
  flag(fallback, { true: ["true"], false: ["false"] });

/**
 * `values` read by `schema`, or one ConfigurationError naming every bad value: `NAME message`,
 * with `name` turning a key into what the user wrote (a context key's prefix). A value inside a
 * setting (a tuning variable) is named by its message: `NAME: message`.
 */
export function parseSettings<S extends z.core.$ZodType>(
  schema: S,
  values: unknown,
  summary: string,
  name = (key: string) => key,
): z.output<S> {
  // Read once: zod's compiled fast path for objects would cost more to build than it saves.
  const parsed = z.safeParse(schema, values, { jitless: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${name(key)} ${issue.message}`);
    }
    const [key, ...inner] = issue.path;
    if (key === undefined) return [issue.message];
    return [`${name(String(key))}${inner.length > 0 ? ":" : ""} ${issue.message}`];
  });
  throw new ConfigurationError(summary, problems);
}
