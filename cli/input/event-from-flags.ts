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

/**
 * Where each flag lands in the event, so a problem the shared schema finds there is said as
 * the flag (`$.subject` → `--subject`). `key` is the flag's value, quoted back as given; a path
 * no single flag fills names the flags that do.
 */
interface FlagAtPath {
  flag: string;
  key?: keyof EventFlags;
  /** Said instead of the schema's message. */
  needs?: string;
}

const FLAG_AT_PATH: Readonly<Record<string, FlagAtPath>> = {
  "$.type": { flag: "--type", key: "type", needs: "must be onboarded or offboarded" },
  "$.subject": { flag: "--subject", key: "subject" },
  "$.id": { flag: "--id", key: "id" },
  "$.time": { flag: "--time", key: "time" },
  "$.source": { flag: "--source", key: "source" },
  "$.data.reason": { flag: "--reason", key: "reason" },
  "$.data.effectiveAt": { flag: "--effective-at" },
  "$.data.accountPlatform.userId": { flag: "--account-user-id", key: "accountUserId" },
  "$.data.accountPlatform.externalId": { flag: "--account-external-id", key: "accountExternalId" },
  "$.data.accountPlatform.login": { flag: "--account-login", key: "accountLogin" },
  "$.data.accountPlatform": { flag: "--account-user-id, --account-external-id or --account-login" },
  "$.data.osis.tenantId": { flag: "--osis-tenant-id", key: "osisTenantId" },
  "$.data.osis.userId": { flag: "--osis-user-id", key: "osisUserId" },
  "$.data.osis.cdUserId": { flag: "--osis-cd-user-id", key: "osisCdUserId" },
  "$.data.osis.cdTenantId": { flag: "--osis-cd-tenant-id", key: "osisCdTenantId" },
  "$.data.osis": {
    flag: "--osis-tenant-id and --osis-user-id",
    needs: "go together: give both, or --osis-cd-user-id instead",
  },
  "$.data": {
    flag: "a target",
    needs:
      "is required: --account-login, --account-user-id or --account-external-id, and/or --osis-cd-user-id or --osis-tenant-id with --osis-user-id",
  },
};

/**
 * The schema's problems with an event built from flags, said as the flags to fix, in one
 * sentence: `--subject is required; --type must be onboarded or offboarded (got "x").`
 * A problem at a path no flag fills keeps its path.
 */
export function flagProblemSentence(
  problems: readonly { path: string; message: string }[],
  flags: EventFlags,
): string {
  const sentences = problems.map(({ path, message }) => {
    const at = FLAG_AT_PATH[path];
    if (at === undefined) return `${path} ${message}`;
    const needs = at.needs ?? message;
    if (at.key === undefined) return `${at.flag} ${needs}`;
    const given = flags[at.key];
    return given === undefined
      ? `${at.flag} is required`
      : `${at.flag} ${needs} (got ${JSON.stringify(given)})`;
  });
  return `${[...new Set(sentences)].join("; ")}.`;
}
