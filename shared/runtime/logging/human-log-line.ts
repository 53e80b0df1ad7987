import type { LogFields } from "./redacting-log-formatter.ts";

/** Keys a terminal reader does not need on every line (the line starts with the first three). */
const LEFT_OUT = new Set(["level", "message", "timestamp", "sampling_rate"]);

/**
 * The short line the local stack and the CLI print in a terminal, from the same attributes the
 * JSON line holds (already redacted): `12:00:01.234 warn  message  key=value …`.
 */
export function humanLogLine(attributes: LogFields): string {
  const time = String(attributes.timestamp ?? "").slice(11, 23);
  const level = String(attributes.level ?? "").toLowerCase();
  const extras = Object.entries(attributes)
    .filter(([key]) => !LEFT_OUT.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${time} ${level.padEnd(5)} ${String(attributes.message)}${extras ? `  ${extras}` : ""}`;
}
