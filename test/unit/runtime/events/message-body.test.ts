import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../../../shared/runtime/events/lifecycle-event.ts";
import { toMessageBody } from "../../../../shared/runtime/events/message-body.ts";

const SQS_ALLOWED = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd]*$/;

const eventWithReason = (reason: string): LifecycleEvent => ({
  specversion: "1.0",
  id: "e1",
  source: "urn:test",
  type: "user.offboarded",
  time: "2026-11-23T09:00:00Z",
  subject: "s",
  data: { accountPlatform: { login: "jdoe" }, reason },
});

describe("toMessageBody", () => {
  it("is plain JSON.stringify when every character is one SQS takes", () => {
    const event = eventWithReason("zoë left — ok");
    expect(toMessageBody(event)).toBe(JSON.stringify(event));
  });

  it("writes U+FFFE, U+FFFF and characters beyond U+FFFF as escapes of the same JSON", () => {
    const body = toMessageBody(eventWithReason("a\uffffb\ufffe🎉"));
    expect(body).toContain("a\\uffffb\\ufffe\\ud83c\\udf89");
    expect(JSON.parse(body).data.reason).toBe("a\uffffb\ufffe🎉");
  });

  it("always gives a body SQS accepts, which parses back to the same event", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (reason) => {
        const event = eventWithReason(reason);
        const body = toMessageBody(event);
        expect(body).toMatch(SQS_ALLOWED);
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(event)));
      }),
      { numRuns: 2_000 },
    );
  });
});
