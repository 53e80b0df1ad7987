import { describe, expect, it } from "vitest";
import { arrivalOf, type SqsRecordLike } from "../../../../shared/runtime/consumer/sqs-record.ts";
import { deadLetterAttributes } from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { ARRIVAL_ATTRIBUTE, arrivalAttributes } from "../../../../shared/runtime/events/arrival.ts";

const SENT = Date.parse("2026-12-01T10:00:00Z");
const record = (stamped?: string): SqsRecordLike => ({
  messageId: "m",
  receiptHandle: "r",
  body: "{}",
  attributes: { SentTimestamp: String(SENT) },
  ...(stamped === undefined
    ? {}
    : { messageAttributes: { [ARRIVAL_ATTRIBUTE]: { stringValue: stamped } } }),
});

describe("arrival", () => {
  it("is the stamped arrival, else the queue's SentTimestamp, and never later than the latter", () => {
    expect(arrivalOf(record())).toBe(SENT);
    expect(arrivalOf(record("2026-12-01T09:59:00.000Z"))).toBe(SENT - 60_000);
    // A forged arrival can make an event older, never newer.
    expect(arrivalOf(record("2026-12-01T11:00:00.000Z"))).toBe(SENT);
    expect(arrivalOf(record("not a time"))).toBe(SENT);
    expect(arrivalOf({ ...record(), attributes: {} })).toBeUndefined();
  });

  it("round-trips as an ISO 8601 attribute", () => {
    const [value] = Object.values(arrivalAttributes(SENT));
    expect(value).toEqual({ DataType: "String", StringValue: "2026-12-01T10:00:00.000Z" });
    expect(arrivalOf(record(value?.StringValue))).toBe(SENT);
  });

  it("keeps a dead letter with every attribute set within SQS's ten", () => {
    const attributes = deadLetterAttributes({
      body: "{}",
      groupId: "p",
      sourceMessageId: "m",
      attempt: 3,
      reason: "not_found",
      target: "osis",
      status: 404,
      detail: "no such user",
      at: SENT,
      redriveCount: "2",
      arrivedAt: SENT - 1,
    });
    expect(attributes[ARRIVAL_ATTRIBUTE]?.StringValue).toBe("2026-12-01T09:59:59.999Z");
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
  });
});
