/**
 * The event `lifecycle send --type offboarded --subject emp-42 --account-login jdoe ...`
 * describes, before defaults and validation (the shared schema judges it like any other).
 */
export interface EventFlags {
  type?: string;
  subject?: string;
  id?: string;
  time?: string;
  source?: string;
  reason?: string;
  accountUserId?: string;
  accountExternalId?: string;
  accountLogin?: string;
  osisTenantId?: string;
  osisUserId?: string;
  osisCdUserId?: string;
  osisCdTenantId?: string;
}

/** Flags that describe an event (any of them given means "build the event from flags"). */
export const EVENT_FLAG_KEYS: readonly (keyof EventFlags)[] = [
  "type",
  "subject",
  "id",
  "time",
  "reason",
  "accountUserId",
  "accountExternalId",
  "accountLogin",
  "osisTenantId",
  "osisUserId",
  "osisCdUserId",
  "osisCdTenantId",
];

/** `offboarded` is short for `user.offboarded`. */
export function eventType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.includes(".") ? value : `user.${value}`;
}

export function eventFromFlags(flags: EventFlags): Record<string, unknown> {
  const accountPlatform = defined({
    userId: flags.accountUserId,
    externalId: flags.accountExternalId,
    login: flags.accountLogin,
  });
  const osis = defined({
    tenantId: flags.osisTenantId,
    userId: flags.osisUserId,
    cdUserId: flags.osisCdUserId,
    cdTenantId: flags.osisCdTenantId,
  });
  return defined({
    id: flags.id,
    time: flags.time,
    source: flags.source,
    type: eventType(flags.type),
    subject: flags.subject,
    data: defined({
      accountPlatform: Object.keys(accountPlatform).length > 0 ? accountPlatform : undefined,
      osis: Object.keys(osis).length > 0 ? osis : undefined,
      reason: flags.reason,
    }),
  });
}

function defined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
