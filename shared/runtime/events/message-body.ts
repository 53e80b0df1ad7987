import type { QueuedMessage } from "./bamboohr-signal.ts";

/**
 * Characters SQS refuses in a message body are every character outside #x9 | #xA | #xD |
 * #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. JSON.stringify already escapes control
 * characters and lone surrogates, but leaves U+FFFE and U+FFFF as they are, so a valid event
 * holding one would be refused on every retry; the local stand-in also refuses characters
 * beyond U+FFFF. Matched per UTF-16 unit (no `u` flag), each such unit is written as a `\uXXXX`
 * escape: the same JSON to every reader, and a body every queue accepts.
 */
const OUTSIDE_SAFE_RANGE = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/g;

export function toMessageBody(event: QueuedMessage): string {
  return JSON.stringify(event).replace(
    OUTSIDE_SAFE_RANGE,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
