import { LIFECYCLE_EVENT_TYPES } from "../../contract/event-types.ts";
import * as z from "./zod-mini.ts";

/**
 * The one definition of a lifecycle event: a CloudEvents 1.0 structured-mode JSON object.
 * Every producer (webhook, CLI, reconciliation) and the consumer validate with this schema;
 * the TypeScript types below are inferred from it, never written by hand.
 */

/** Serialized size limit; well under SQS's 256 KiB so DLQ attributes always fit beside it. */
export const MAX_EVENT_BYTES = 64 * 1024;

export const SUBJECT_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

const nonEmpty = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, "must not be empty"), z.maxLength(max));

/**
 * A platform id becomes a URL path segment (OSIS `tenants/{tenantId}/users/{userId}`) or a
 * lookup value. URL resolution drops `.` and `..` segments, even percent-encoded, so `..` would
 * turn the user route into the tenant's own route; `/` and `\` add segments, `%` smuggles
 * encoded ones, `?` and `#` end the path. Refused here, at every producer and the consumer; the
 * platform clients check the final path again before sending (shared/runtime/http/platform-http.ts).
 */
export function isSafePlatformId(value: string): boolean {
  return value !== "." && value !== ".." && !/[/\\%?#\p{Cc}]/u.test(value) && value.isWellFormed();
}

const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * `Date.parse` alone accepts 2026-02-30 (it rolls over), so each field is range-checked too.
 * Leap seconds (:60) are refused: JavaScript dates cannot represent them.
 */
export function isRfc3339DateTime(value: string): boolean {
  const match = RFC3339_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  return (
    month !== undefined &&
    month >= 1 &&
    month <= 12 &&
    day !== undefined &&
    day >= 1 &&
    day <= daysInMonth &&
    (hour ?? 99) <= 23 &&
    (minute ?? 99) <= 59 &&
    (second ?? 99) <= 59 &&
    Number(match[9] ?? 0) <= 23 &&
    Number(match[10] ?? 0) <= 59 &&
    Number.isFinite(Date.parse(value))
  );
}

/**
 * The event schema, built at the first validation rather than when the module is imported: its
 * few dozen zod schemas cost a cold start milliseconds before any event has arrived.
 */
export const lifecycleEventSchema = z.lazy(buildLifecycleEventSchema);

function buildLifecycleEventSchema() {
  const platformId = nonEmpty(256).check(
    z.refine(
      isSafePlatformId,
      "must not be `.` or `..`, nor hold / \\ % ? #, control characters or lone surrogates",
    ),
  );

  const uriReference = z.string().check(
    z.minLength(1, "must not be empty"),
    z.maxLength(1024),
    z.refine(
      (value) => !/[\s<>"{}|\\^`]/.test(value) && URL.canParse(value, "http://relative.invalid/"),
      "must be a URI-reference naming the producer (for example `bamboohr` or `urn:hr:workday`)",
    ),
  );

  const rfc3339 = z
    .string()
    .check(
      z.refine(
        isRfc3339DateTime,
        "must be an RFC 3339 date-time with an offset (for example 2026-11-23T09:30:00Z)",
      ),
    );

  const accountPlatformTarget = z
    .strictObject({
      userId: z.optional(z.uuid("must be a UUID")),
      externalId: z.optional(platformId),
      login: z.optional(platformId),
    })
    .check(
      z.superRefine((target, ctx) => {
        const given = [target.userId, target.externalId, target.login].filter(
          (v) => v !== undefined,
        );
        if (given.length !== 1) {
          ctx.addIssue({
            code: "custom",
            message: "must name the user by exactly one of `userId`, `externalId` or `login`",
          });
        }
      }),
    );

  const osisTarget = z
    .strictObject({
      tenantId: z.optional(platformId),
      userId: z.optional(platformId),
      cdUserId: z.optional(platformId),
      cdTenantId: z.optional(platformId),
    })
    .check(
      z.superRefine((target, ctx) => {
        const direct = target.tenantId !== undefined || target.userId !== undefined;
        const byCd = target.cdUserId !== undefined || target.cdTenantId !== undefined;
        if (direct && byCd) {
          ctx.addIssue({
            code: "custom",
            message:
              "give either `tenantId` + `userId`, or `cdUserId` (with optional `cdTenantId`), not both",
          });
        } else if (direct && (target.tenantId === undefined || target.userId === undefined)) {
          ctx.addIssue({ code: "custom", message: "`tenantId` and `userId` go together" });
        } else if (!direct && target.cdUserId === undefined) {
          ctx.addIssue({
            code: "custom",
            message: "must name the user by `tenantId` + `userId`, or by `cdUserId`",
          });
        }
      }),
    );

  const eventData = z
    .strictObject({
      accountPlatform: z.optional(accountPlatformTarget),
      osis: z.optional(osisTarget),
      reason: z.optional(z.string().check(z.maxLength(1024))),
      /** Later than now: the change is scheduled for then (docs/consumer.md#scheduled-changes). */
      effectiveAt: z.optional(rfc3339),
    })
    .check(
      z.refine((data) => data.accountPlatform !== undefined || data.osis !== undefined, {
        message: "must name at least one target: `accountPlatform` and/or `osis`",
      }),
    );

  return z.looseObject({
    specversion: z.literal("1.0", { error: 'must be "1.0"' }),
    id: z
      .string()
      .check(
        z.minLength(1, "must not be empty"),
        z.maxLength(128, "must be at most 128 characters"),
      ),
    source: uriReference,
    type: z.enum(LIFECYCLE_EVENT_TYPES, {
      error: `must be one of ${LIFECYCLE_EVENT_TYPES.map((t) => `"${t}"`).join(", ")}`,
    }),
    time: rfc3339,
    subject: z
      .string()
      .check(z.regex(SUBJECT_PATTERN, "must be 1-128 characters of letters, digits and . _ : @ -")),
    datacontenttype: z.optional(z.literal("application/json")),
    data: eventData,
  });
}

export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;
export type LifecycleEventData = LifecycleEvent["data"];
export type AccountPlatformTarget = NonNullable<LifecycleEventData["accountPlatform"]>;
export type OsisTarget = NonNullable<LifecycleEventData["osis"]>;

/** What the event asks of every target: enabled/active for an onboard, disabled for an offboard. */
export function wantsEnabled(event: Pick<LifecycleEvent, "type">): boolean {
  return event.type === "user.onboarded";
}

/** When the change takes effect, epoch ms; undefined when it takes effect on arrival. */
export function effectiveAtMs(event: Pick<LifecycleEvent, "data">): number | undefined {
  const { effectiveAt } = event.data;
  return effectiveAt === undefined ? undefined : Date.parse(effectiveAt);
}

/** The event time as epoch milliseconds: the ordering key (never compare the strings). */
export function eventTimeMs(event: Pick<LifecycleEvent, "time">): number {
  return Date.parse(event.time);
}
