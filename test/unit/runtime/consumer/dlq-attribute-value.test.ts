import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../../shared/contract/dead-letter-attributes.ts";
import { SOURCE_QUEUE } from "../../../../shared/contract/source-queue.ts";
import {
  MAX_ATTRIBUTE_VALUE_BYTES,
  sqsStringValue,
  stringAttributes,
} from "../../../../shared/runtime/dlq/attribute-value.ts";
import { buildDeadLetterMessage } from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { sqsAttributeProblems } from "../../../support/sqs-attribute-rules.ts";

/** Characters SQS refuses or that sit on a rule's edge, mixed into arbitrary text. */
const EDGES = [
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDFFF",
  "\u0000",
  "\u0008",
  "\u001F",
  "\t",
  "\uFFFD",
];
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  // Any UTF-16 code unit, so lone surrogates of either half come often.
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 400 })
    .map((units) => String.fromCharCode(...units)),
  fc
    .array(fc.oneof(fc.constantFrom(...EDGES), fc.string({ unit: "binary", maxLength: 3 })), {
      maxLength: 200,
    })
    .map((parts) => parts.join("")),
  // Long text of many-byte characters: the cut must land on a character boundary.
  fc.string({ unit: "binary", minLength: 300, maxLength: 2000 }),
);

describe("DLQ attribute values", () => {
  it("every attribute made from any text is valid by SQS's rules", () => {
    fc.assert(
      fc.property(anyText, anyText, (first, second) => {
        const attributes = stringAttributes({ first, second });
        expect(sqsAttributeProblems(attributes)).toEqual([]);
        for (const attribute of Object.values(attributes)) {
          expect(Buffer.byteLength(attribute.StringValue ?? "")).toBeLessThanOrEqual(
            MAX_ATTRIBUTE_VALUE_BYTES,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a whole dead letter is valid, whatever its detail and carried redrive count", () => {
    fc.assert(
      fc.property(anyText, anyText, (detail, redriveCount) => {
        const message = buildDeadLetterMessage("https://q/dlq.fifo", {
          body: '{"data":{"\\uFFFE":1}}',
          groupId: "invalid",
          sourceMessageId: "m-1",
          attempt: 1,
          reason: "invalid_event",
          detail,
          at: 0,
          redriveCount,
        });
        expect(sqsAttributeProblems(message.MessageAttributes ?? {})).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps valid text as it is, replaces what SQS refuses and leaves nothing empty", () => {
    expect(sqsStringValue("data.\u{1F600} ok\t")).toBe("data.\u{1F600} ok\t");
    expect(sqsStringValue('data: unknown key "\uFFFE"')).toBe('data: unknown key "\uFFFD"');
    expect(sqsStringValue("a\uD800b\uFFFF")).toBe("a\uFFFDb\uFFFD");
    expect(sqsStringValue("")).toBeUndefined();
    expect(stringAttributes({ [DLQ_ATTRIBUTES.detail]: "", other: undefined })).toEqual({});
  });

  it("cuts a long value between characters, never inside a surrogate pair", () => {
    const value = sqsStringValue("\u{1F600}".repeat(600)) ?? "";
    expect(value.endsWith("\u{1F600}…")).toBe(true);
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_ATTRIBUTE_VALUE_BYTES);
  });

  it("fits any body the source queue accepts into the DLQ with the longest attributes", () => {
    const body = "x".repeat(SOURCE_QUEUE.maxMessageBytes);
    const long = "\u{1F600}".repeat(1_000);
    const message = buildDeadLetterMessage("https://q/dlq.fifo", {
      body,
      groupId: "invalid",
      sourceMessageId: long,
      attempt: 1,
      reason: "invalid_event",
      target: "osis",
      status: 400,
      detail: long,
      at: 0,
      redriveCount: long,
    });
    expect(sqsAttributeProblems(message.MessageAttributes ?? {}, body)).toEqual([]);
  });
});
