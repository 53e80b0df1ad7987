import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { parseSince } from "../../../cli/options/parsers.ts";
import { DLQ_ATTRIBUTES } from "../../../shared/contract/dead-letter-attributes.ts";
import { matchesSelection } from "../../../shared/operator/dead-letters/dead-letter-selection.ts";
import { buildRedriveMessage } from "../../../shared/operator/dead-letters/redrive-message.ts";
import { judgeForRedrive } from "../../../shared/operator/dead-letters/stale-check.ts";
import {
  listingVisibilitySeconds,
  MAX_VISIBILITY_SECONDS,
  redriveVisibilitySeconds,
} from "../../../shared/operator/dead-letters/visibility-sizing.ts";
import {
  compareQueueOrder,
  toDeadLetterEntry,
} from "../../../shared/runtime/dlq/dead-letter-entry.ts";
import { deadLetterAttributes } from "../../../shared/runtime/dlq/dead-letter-message.ts";
import { ARRIVAL_ATTRIBUTE } from "../../../shared/runtime/events/arrival.ts";
import { eventKey } from "../../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../../shared/runtime/events/lifecycle-event.ts";
import type { PersonRecord } from "../../../shared/runtime/ledger/person-record.ts";

const event: LifecycleEvent = {
  specversion: "1.0",
  id: "evt-1",
  source: "urn:hr",
  type: "user.offboarded",
  time: "2026-11-20T10:00:00Z",
  subject: "emp-1",
  data: { osis: { cdUserId: "emp-1" } },
};

function message(body: string, extra: Partial<Message> = {}): Message {
  return {
    MessageId: "m-1",
    ReceiptHandle: "r-1",
    Body: body,
    Attributes: { MessageGroupId: "emp-1", SequenceNumber: "100", SentTimestamp: "1700000000000" },
    MessageAttributes: deadLetterAttributes({
      body,
      groupId: "emp-1",
      sourceMessageId: "src-1",
      attempt: 4,
      reason: "not_found",
      target: "osis",
      status: 404,
      detail: "no such user",
      at: Date.parse("2026-11-22T10:00:00Z"),
      redriveCount: "2",
      arrivedAt: Date.parse("2026-11-20T10:00:05Z"),
    }),
    ...extra,
  };
}

describe("toDeadLetterEntry", () => {
  it("reads the event and the failure attributes of the contract", () => {
    const entry = toDeadLetterEntry(message(JSON.stringify(event)));
    expect(entry).toMatchObject({
      messageId: "m-1",
      groupId: "emp-1",
      eventId: "evt-1",
      subject: "emp-1",
      redriveCount: 2,
      failure: {
        reason: "not_found",
        target: "osis",
        status: 404,
        detail: "no such user",
        attempts: 4,
        at: Date.parse("2026-11-22T10:00:00Z"),
        sourceMessageId: "src-1",
      },
    });
    expect(entry.event?.id).toBe("evt-1");
  });

  it("keeps what it can of an invalid body, with the problems", () => {
    const entry = toDeadLetterEntry(message(JSON.stringify({ id: "x", subject: "emp-9" })));
    expect(entry.event).toBeUndefined();
    expect(entry.problems?.length).toBeGreaterThan(0);
    expect(entry).toMatchObject({ eventId: "x", subject: "emp-9" });
    expect(toDeadLetterEntry(message("<html>")).eventId).toBeUndefined();
  });

  it("orders by SequenceNumber numerically, not as text", () => {
    const nine = toDeadLetterEntry(message("{}", { Attributes: { SequenceNumber: "9" } }));
    const ten = toDeadLetterEntry(message("{}", { Attributes: { SequenceNumber: "10" } }));
    expect([ten, nine].sort(compareQueueOrder)).toEqual([nine, ten]);
  });
});

describe("matchesSelection", () => {
  const entry = toDeadLetterEntry(message(JSON.stringify(event)));
  it("matches any value within a filter and all filters together", () => {
    expect(matchesSelection(entry, {})).toBe(true);
    expect(matchesSelection(entry, { reasons: ["rejected", "not_found"] })).toBe(true);
    expect(matchesSelection(entry, { reasons: ["not_found"], targets: ["account-platform"] })).toBe(
      false,
    );
    expect(matchesSelection(entry, { ids: ["src-1"] })).toBe(true);
    expect(matchesSelection(entry, { since: Date.parse("2026-11-22T10:00:00Z") })).toBe(true);
    expect(matchesSelection(entry, { since: Date.parse("2026-11-22T10:00:01Z") })).toBe(false);
  });
});

describe("judgeForRedrive", () => {
  const record = (newest: { id: string; time: string }): PersonRecord => ({
    subject: "emp-1",
    newestApplied: {
      source: "urn:hr",
      id: newest.id,
      type: "user.onboarded",
      time: Date.parse(newest.time),
      appliedAt: 0,
    },
    history: [],
    updatedAt: 0,
  });

  it("redrives when nothing newer was applied", () => {
    expect(judgeForRedrive(undefined, event)).toEqual({ kind: "redrive" });
    expect(judgeForRedrive(record({ id: "old", time: "2026-11-19T00:00:00Z" }), event)).toEqual({
      kind: "redrive",
    });
  });

  it("calls it stale when a newer (or equally timed) other event was applied", () => {
    expect(
      judgeForRedrive(record({ id: "rehire", time: "2026-11-21T00:00:00Z" }), event).kind,
    ).toBe("stale");
    const sameTime = record({ id: "same-time", time: event.time });
    const sameTimeOffboard: PersonRecord = {
      ...sameTime,
      newestApplied: sameTime.newestApplied && {
        ...sameTime.newestApplied,
        type: "user.offboarded",
      },
    };
    expect(judgeForRedrive(sameTimeOffboard, event).kind).toBe("stale");
    // Decided at the same instant, an offboard outranks an onboard (timeline rule 3).
    expect(judgeForRedrive(sameTime, event).kind).toBe("redrive");
  });

  it("calls it a duplicate when this very event was applied", () => {
    expect(judgeForRedrive(record({ id: "evt-1", time: event.time }), event)).toEqual({
      kind: "duplicate",
    });
  });

  it("judges a corrective event by whether the event it re-asserts is still the newest", () => {
    const newest = record({ id: "applied-1", time: "2026-11-21T00:00:00Z" });
    const corrective = (correctsId: string): LifecycleEvent => ({
      ...event,
      id: "fix-1",
      source: "urn:lifecycle:reconcile",
      type: "user.onboarded",
      time: "2026-11-22T00:00:00Z",
      lifecyclecorrects: eventKey({ source: "urn:hr", id: correctsId }),
    });
    expect(judgeForRedrive(newest, corrective("applied-1")).kind).toBe("redrive");
    expect(judgeForRedrive(newest, corrective("applied-0")).kind).toBe("stale");
  });

  it("does not call a guard-held event stale for having been held", () => {
    const held: PersonRecord = {
      ...record({ id: "old", time: "2026-11-19T00:00:00Z" }),
      history: [
        {
          source: "urn:hr",
          id: "evt-1",
          type: "user.offboarded",
          time: Date.parse(event.time),
          outcome: "dead_lettered",
          reason: "held_by_guard",
          at: Date.parse("2026-11-20T10:00:01Z"),
        },
      ],
    };
    expect(judgeForRedrive(held, event)).toEqual({ kind: "redrive" });
  });
});

describe("buildRedriveMessage", () => {
  it("keeps body, group and first arrival, counts the redrive, and varies the deduplication id with time", () => {
    const body = JSON.stringify(event);
    const entry = toDeadLetterEntry(message(body));
    const first = buildRedriveMessage("q", entry, event, 1_000);
    const second = buildRedriveMessage("q", entry, event, 2_000);
    expect(first).toMatchObject({ QueueUrl: "q", MessageBody: body, MessageGroupId: "emp-1" });
    expect(first.MessageAttributes).toEqual({
      [DLQ_ATTRIBUTES.redriveCount]: { DataType: "String", StringValue: "3" },
      [ARRIVAL_ATTRIBUTE]: { DataType: "String", StringValue: "2026-11-20T10:00:05.000Z" },
    });
    expect(first.MessageDeduplicationId).not.toBe(second.MessageDeduplicationId);
    expect(first.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("visibility sizing", () => {
  it("grows with the DLQ and the redrive rate, within SQS's bounds", () => {
    expect(listingVisibilitySeconds(0)).toBe(60);
    expect(listingVisibilitySeconds(1_000)).toBeGreaterThan(listingVisibilitySeconds(10));
    expect(redriveVisibilitySeconds(100, 0.5)).toBeGreaterThan(redriveVisibilitySeconds(100, 50));
    expect(redriveVisibilitySeconds(1_000_000, 1)).toBe(MAX_VISIBILITY_SECONDS);
  });
});

describe("parseSince", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  it("takes a duration back from now or an RFC 3339 time", () => {
    expect(parseSince("30m", now)).toBe(now - 30 * 60_000);
    expect(parseSince("2d", now)).toBe(now - 2 * 86_400_000);
    expect(parseSince("2026-11-23T09:00:00+01:00", now)).toBe(Date.parse("2026-11-23T08:00:00Z"));
    expect(() => parseSince("yesterday", now)).toThrow(/duration back from now/);
  });
});
