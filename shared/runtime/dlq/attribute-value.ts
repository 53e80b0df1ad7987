import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/**
 * Longest String attribute value, in UTF-8 bytes. SQS counts every attribute's name, type and
 * value into the message's size (256 KiB at the least): ten values of this size take 10 KiB of
 * it, and none of ours needs more to be read (the detail is 256 characters).
 */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

/** Put where a character SQS refuses was (it is allowed itself). */
const REPLACEMENT = "\uFFFD";
/** Ends a value that was cut. */
const CUT = "…";

/**
 * Message attributes SQS accepts, from plain strings: the only way a message attribute of ours
 * is made (dead letters and redrives alike), so no value can make SQS refuse the send. Each
 * value goes through `sqsStringValue`; a value that is absent or ends empty is left out, as SQS
 * refuses an empty one.
 */
export function stringAttributes(
  values: Readonly<Record<string, string | undefined>>,
): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const valid = value === undefined ? undefined : sqsStringValue(value);
    if (valid !== undefined) attributes[name] = { DataType: "String", StringValue: valid };
  }
  return attributes;
}

/**
 * A String attribute value SQS accepts, or undefined when nothing is left. SQS allows in a
 * value what it allows in a body: #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and
 * #x10000–#x10FFFF. Any other character (a lone surrogate, U+FFFE, U+FFFF, another control) is
 * replaced by U+FFFD, so an operator still sees that something was there; a value longer than
 * `maxBytes` is cut on a character boundary (never inside a surrogate pair) and ends with "…".
 */
export function sqsStringValue(
  text: string,
  maxBytes: number = MAX_ATTRIBUTE_VALUE_BYTES,
): string | undefined {
  // for…of walks code points: a pair is one character, a lone surrogate one of its own.
  const characters = Array.from(text, (character) =>
    isAllowed(character.codePointAt(0) ?? 0) ? character : REPLACEMENT,
  );
  const whole = characters.join("");
  if (whole === "") return undefined;
  if (utf8Length(whole) <= maxBytes) return whole;
  let value = "";
  let bytes = utf8Length(CUT);
  for (const character of characters) {
    bytes += utf8Length(character);
    if (bytes > maxBytes) break;
    value += character;
  }
  return value + CUT;
}

/** Whether SQS allows this code point in a String value (the XML 1.0 character range). */
export function isAllowed(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function utf8Length(character: string): number {
  return Buffer.byteLength(character, "utf8");
}
