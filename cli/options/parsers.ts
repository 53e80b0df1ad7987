import { InvalidArgumentError } from "commander";
import {
  isRfc3339DateTime,
  SUBJECT_PATTERN,
} from "../../shared/runtime/events/event-field-rules.ts";

/**
 * Commander parsers: a bad value becomes a usage error (exit 2). Each says only what a good
 * value is (`must be …`); cli/usage-wording.ts puts the flag and the value given around it.
 */

/** `--reason a --reason b,c` → ["a", "b", "c"], each checked against `allowed` when given. */
export function listOf(allowed?: readonly string[]) {
  return (value: string, previous: string[] | undefined): string[] => {
    const values = value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    for (const v of values) {
      if (allowed !== undefined && !allowed.includes(v)) {
        throw new InvalidArgumentError(`must be one of: ${allowed.join(", ")} (got "${v}")`);
      }
    }
    return [...(previous ?? []), ...values];
  };
}

export function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError("must be a number above 0.");
  }
  return number;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `--since`: an RFC 3339 time (2026-11-23T09:00:00Z) or a duration back from now (30m, 6h,
 * 2d, 1w). Returns epoch ms.
 */
export function parseSince(value: string, now: number): number {
  const trimmed = value.trim();
  const match = DURATION.exec(trimmed);
  if (match) return now - Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1_000);
  if (isRfc3339DateTime(trimmed)) return Date.parse(trimmed);
  throw new InvalidArgumentError(
    "must be a time like 2026-11-23T09:00:00Z or a duration back from now like 30m, 6h, 2d.",
  );
}

/**
 * `--effective-at`, `--due-before`: an RFC 3339 time, or a duration ahead of now (+30s, +12h,
 * +3d, +1w). Returns epoch ms.
 */
export function parseWhen(value: string, now: number): number {
  const trimmed = value.trim();
  const match = trimmed.startsWith("+") ? DURATION.exec(trimmed.slice(1)) : null;
  if (match) return now + Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1_000);
  if (isRfc3339DateTime(trimmed)) return Date.parse(trimmed);
  throw new InvalidArgumentError(
    "must be a time like 2026-12-04T17:00:00+01:00 or a duration ahead of now like +12h, +3d.",
  );
}

/** A `<subject>` argument: the events' subject, checked before anything is read. */
export function subjectArgument(value: string): string {
  if (!SUBJECT_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      "must be 1-128 letters, digits and . _ : @ - (the events' subject).",
    );
  }
  return value;
}
