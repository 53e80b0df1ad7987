import { randomUUID } from "node:crypto";
import type { FailureReason } from "../../shared/contract/dead-letter-attributes.ts";
import type {
  AccountPlatformTarget,
  LifecycleEvent,
} from "../../shared/runtime/events/lifecycle-event.ts";
import type { AccountPlatformSimulator } from "../simulators/account-platform/account-platform-simulator.ts";
import { DEMO_PEOPLE, type DemoPerson } from "../simulators/demo-users.ts";

/**
 * What `npm start -- --demo` sends, in three phases. Phase 1 runs side by side (one message
 * group per person, so each person's events keep their order); phase 2 starts once phase 1 has
 * drained, because its fault rule would otherwise hit whichever account write came first;
 * phase 3 sends scheduled changes and ends once none is pending.
 */
export type ExpectedOutcome =
  | { outcome: "applied" }
  | { outcome: "scheduled" }
  | { outcome: "duplicate" }
  | { outcome: "stale" }
  | { outcome: "dead_lettered"; reason: FailureReason };

export interface DemoStep {
  /** What the step shows, in a few words. */
  title: string;
  event: LifecycleEvent;
  /** Only the duplicate sets it: the same event past SQS's five-minute deduplication window. */
  deduplicationId?: string;
  /** How the event reaches the queue. */
  via: "queue" | "webhook";
  /** Sets `data.effectiveAt` this long after the moment it is sent (a scheduled change). */
  effectiveInMs?: number;
  expected: ExpectedOutcome;
}

export interface DemoPhase {
  /** Prepares the simulators before the phase's events are sent. */
  prepare?: (simulators: { accountPlatform: AccountPlatformSimulator }) => void;
  steps: DemoStep[];
  /** The phase ends once no scheduled change is pending (the scheduler fired them). */
  awaitScheduled?: boolean;
}

/** How far ahead the demo's scheduled changes take effect. */
export const DEMO_SCHEDULE_DELAY_MS = 4_000;

export const DEMO_SOURCE = "urn:lifecycle:demo";

export function demoScript(options: { now: number; versionConflictRetries: number }): DemoPhase[] {
  const minutesAgo = (minutes: number) => new Date(options.now - minutes * 60_000).toISOString();
  const secondsAgo = (seconds: number) => new Date(options.now - seconds * 1_000).toISOString();
  const jdoe = person("jdoe");
  const mgarcia = person("mgarcia");
  const asmith = person("asmith");
  const bchen = person("bchen");
  const jdoe2 = person("jdoe2");

  const jdoeOffboard = personEvent("user.offboarded", jdoe, "login", minutesAgo(5));
  return [
    {
      steps: [
        {
          title: "offboard jdoe, found by login (jdoe2 shares the prefix)",
          event: jdoeOffboard,
          via: "queue",
          expected: { outcome: "applied" },
        },
        {
          title: "rehire mgarcia, found by HR id, sent to the webhook",
          event: personEvent("user.onboarded", mgarcia, "externalId", minutesAgo(4)),
          via: "webhook",
          expected: { outcome: "applied" },
        },
        {
          title: "the jdoe offboard again, after SQS's 5-minute dedup window",
          event: jdoeOffboard,
          deduplicationId: randomUUID(),
          via: "queue",
          expected: { outcome: "duplicate" },
        },
        {
          title: "offboard asmith, found by account user id",
          event: personEvent("user.offboarded", asmith, "userId", minutesAgo(3)),
          via: "queue",
          expected: { outcome: "applied" },
        },
        {
          title: "an older asmith onboard arriving late",
          event: personEvent("user.onboarded", asmith, "userId", minutesAgo(60)),
          via: "queue",
          expected: { outcome: "stale" },
        },
        {
          title: "offboard a login no account has",
          event: event("user.offboarded", "9999", minutesAgo(2), {
            accountPlatform: { login: "nobody" },
          }),
          via: "queue",
          expected: { outcome: "dead_lettered", reason: "not_found" },
        },
      ],
    },
    {
      // A concurrent writer bumps bchen's version before every PUT, past the consumer's
      // bounded re-read and retry.
      prepare: ({ accountPlatform }) =>
        accountPlatform.faults.add({
          operation: "setEnabled",
          bumpVersion: true,
          times: options.versionConflictRetries + 1,
        }),
      steps: [
        {
          title: "offboard bchen while someone keeps editing the account",
          event: personEvent("user.offboarded", bchen, "login", minutesAgo(1)),
          via: "queue",
          expected: { outcome: "dead_lettered", reason: "version_conflict" },
        },
      ],
    },
    {
      // Scheduled changes: each is recorded now and put back on the queue by the scheduler
      // when due; the phase waits until none is pending.
      awaitScheduled: true,
      steps: [
        {
          title: `offboard jdoe2 effective ${DEMO_SCHEDULE_DELAY_MS / 1000} s later: scheduled, applied when due`,
          event: personEvent("user.offboarded", jdoe2, "login", secondsAgo(2)),
          effectiveInMs: DEMO_SCHEDULE_DELAY_MS,
          via: "queue",
          expected: { outcome: "applied" },
        },
        {
          title: `offboard mgarcia effective ${DEMO_SCHEDULE_DELAY_MS / 1000} s later: scheduled, then rescinded`,
          event: personEvent("user.offboarded", mgarcia, "externalId", secondsAgo(2)),
          effectiveInMs: DEMO_SCHEDULE_DELAY_MS,
          via: "queue",
          expected: { outcome: "scheduled" },
        },
        {
          title: "HR rescinds: onboard mgarcia, which cancels the scheduled offboard",
          event: personEvent("user.onboarded", mgarcia, "externalId", secondsAgo(1)),
          via: "queue",
          expected: { outcome: "applied" },
        },
      ],
    },
  ];
}

/** How a step finds its person on the account platform (OSIS: always by login). */
const ACCOUNT_LOOKUPS = {
  login: (who: DemoPerson): AccountPlatformTarget => ({ login: who.login }),
  externalId: (who: DemoPerson): AccountPlatformTarget => ({ externalId: who.externalId }),
  userId: (who: DemoPerson): AccountPlatformTarget => ({ userId: who.accountUserId }),
};

function personEvent(
  type: LifecycleEvent["type"],
  who: DemoPerson,
  foundBy: keyof typeof ACCOUNT_LOOKUPS,
  time: string,
): LifecycleEvent {
  return event(type, who.employeeId, time, {
    accountPlatform: ACCOUNT_LOOKUPS[foundBy](who),
    osis: { cdUserId: who.login },
  });
}

function event(
  type: LifecycleEvent["type"],
  subject: string,
  time: string,
  data: LifecycleEvent["data"],
): LifecycleEvent {
  return { specversion: "1.0", id: randomUUID(), source: DEMO_SOURCE, type, time, subject, data };
}

function person(login: string): DemoPerson {
  const found = DEMO_PEOPLE.find((demo) => demo.login === login);
  if (!found) throw new Error(`the demo script names ${login}, who is not a demo person`);
  return found;
}
