import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/**
 * SQS's own rules for a message, written here apart from the product's code so the tests check
 * the product against them: a String attribute value may hold only #x9, #xA, #xD,
 * #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF, is never empty, and the body with every
 * attribute's name, type and value stays within the message size limit (the DLQ's: 1 MiB, SQS's
 * largest and its default). The local SQS stand-in checks only bodies.
 */
export const SQS_MESSAGE_SIZE_LIMIT = 1_048_576;

const SQS_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** What SQS would refuse in these attributes (empty: it would accept them). */
export function sqsAttributeProblems(
  attributes: Readonly<Record<string, MessageAttributeValue>>,
  body = "",
): string[] {
  const problems: string[] = [];
  let size = Buffer.byteLength(body, "utf8");
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = attribute.StringValue ?? "";
    size += Buffer.byteLength(name + (attribute.DataType ?? "") + value, "utf8");
    if (attribute.DataType !== "String") problems.push(`${name}: not a String attribute`);
    if (value === "") problems.push(`${name}: empty value`);
    if (!SQS_CHARACTERS.test(value)) problems.push(`${name}: a character SQS refuses`);
  }
  if (size > SQS_MESSAGE_SIZE_LIMIT) problems.push(`message of ${size} bytes is too large`);
  return problems;
}
