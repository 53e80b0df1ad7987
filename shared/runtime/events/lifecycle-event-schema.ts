import { LIFECYCLE_EVENT_TYPES } from "../../contract/event-types.ts";
import { isRfc3339DateTime, isSafePlatformId, SUBJECT_PATTERN } from "./event-field-rules.ts";
import * as z from "./zod-mini.ts";

/**
 * The one definition of a lifecycle event: a CloudEvents 1.0 structured-mode JSON object.
 * Every producer (webhook, CLI, reconciliation) and the consumer validate with this schema
 * (validation.ts); the TypeScript types (lifecycle-event.ts) are inferred from it, never written
 * by hand. The consumer loads it at its first record, not at cold start.
 */

const nonEmpty = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, "must not be empty"), z.maxLength(max));

/**
 * The event schema, built at the first validation rather than when the module is imported: the
 * webhook and the SCIM endpoint import it at cold start, and its few dozen zod schemas would
 * cost them milliseconds before any event has arrived.
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
