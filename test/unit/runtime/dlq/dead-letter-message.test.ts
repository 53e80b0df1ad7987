import { describe, expect, it } from "vitest";
import {
  DLQ_ATTRIBUTES,
  MAX_DETAIL_LENGTH,
} from "../../../../shared/contract/dead-letter-attributes.ts";
import {
  buildDeadLetterMessage,
  deadLetterGroupId,
  INVALID_EVENT_GROUP_ID,
} from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { deadLetterDeduplicationId } from "../../../../shared/runtime/events/deduplication-id.ts";

describe("dead-letter message", () => {
  const body = '{"weird":  "spacing" }\n';

  it("keeps the body byte for byte and follows the contract", () => {
    const message = buildDeadLetterMessage("https://q/dlq.fifo", {
      body,
      groupId: "emp-1",
      sourceMessageId: "m-1",
      attempt: 3,
      reason: "version_conflict",
      target: "account-platform",
      status: 409,
      detail: "conflict\nagain",
      at: Date.UTC(2026, 10, 23, 10, 0, 0),
      redriveCount: "2",
    });
    expect(message.MessageBody).toBe(body);
    expect(message.MessageGroupId).toBe("emp-1");
    expect(message.MessageDeduplicationId).toBe(deadLetterDeduplicationId("m-1", 3));
    const values = Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
    );
    expect(values).toEqual({
      [DLQ_ATTRIBUTES.reason]: "version_conflict",
      [DLQ_ATTRIBUTES.target]: "account-platform",
      [DLQ_ATTRIBUTES.status]: "409",
      [DLQ_ATTRIBUTES.detail]: "conflict again",
      [DLQ_ATTRIBUTES.attempts]: "3",
      [DLQ_ATTRIBUTES.at]: "2026-11-23T10:00:00.000Z",
      [DLQ_ATTRIBUTES.sourceMessageId]: "m-1",
      [DLQ_ATTRIBUTES.redriveCount]: "2",
    });
    for (const value of Object.values(message.MessageAttributes ?? {})) {
      expect(value.DataType).toBe("String");
    }
  });

  it("leaves absent or empty values out and bounds the detail", () => {
    const message = buildDeadLetterMessage("https://q/dlq.fifo", {
      body,
      groupId: INVALID_EVENT_GROUP_ID,
      sourceMessageId: "m-2",
      attempt: 1,
      reason: "invalid_event",
      detail: "x".repeat(1_000),
      at: 0,
      redriveCount: "",
    });
    const names = Object.keys(message.MessageAttributes ?? {});
    expect(names).not.toContain(DLQ_ATTRIBUTES.target);
    expect(names).not.toContain(DLQ_ATTRIBUTES.status);
    expect(names).not.toContain(DLQ_ATTRIBUTES.redriveCount);
    expect(message.MessageAttributes?.[DLQ_ATTRIBUTES.detail]?.StringValue).toHaveLength(
      MAX_DETAIL_LENGTH,
    );
  });

  it("groups a body without a usable subject under the documented id", () => {
    expect(deadLetterGroupId("emp-1")).toBe("emp-1");
    expect(deadLetterGroupId(undefined)).toBe("invalid");
    expect(deadLetterGroupId("has space")).toBe("invalid");
  });
});
