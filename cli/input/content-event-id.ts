import { createHash } from "node:crypto";

/**
 * The id of an event given without one in a file: a hash of what it says (source, subject,
 * type, time, data), so sending the same file again sends the same events, which SQS and the
 * ledger drop as copies, while any change to what an event says makes it a new one.
 */
export function contentEventId(event: Readonly<Record<string, unknown>>): string {
  const parts = ["content", event.source, event.subject, event.type, event.time, event.data];
  return `content-${createHash("sha256").update(canonicalJson(parts)).digest("hex")}`;
}

/** JSON with every object's keys sorted: the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
