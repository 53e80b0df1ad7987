import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { DeadLetter } from "../dlq/dead-letter-message.ts";
import type { EventClock } from "../events/validation.ts";
import type { PlatformWriteGate } from "../guard/write-gate.ts";
import type { PersonLedger } from "../ledger/person-ledger.ts";
import type { HistoryPolicy } from "../ledger/person-ledger-rules.ts";
import type { Logger } from "../logging/logger.ts";
import type { AccountPlatform } from "../platforms/account-platform/account-platform.ts";
import type { BambooHrEmployeeReader } from "../platforms/bamboohr/bamboohr-client.ts";
import type { OsisPlatform } from "../platforms/osis/osis.ts";
import type { ConsumerConfig } from "./consumer-config.ts";
import {
  type EventValidation,
  importEventValidation,
  loadedOnce,
} from "./event-validation-loader.ts";
import type { RecordOutcome } from "./outcome.ts";
import type { EventPlannerOptions } from "./plan-event.ts";
import type { AccountPlatformStepOptions } from "./targets/account-platform-target.ts";
import type { OsisStepOptions } from "./targets/osis-target.ts";

export interface RecordProcessorDependencies {
  config: ConsumerConfig;
  ledger: PersonLedger;
  accountPlatform: AccountPlatform;
  osis: OsisPlatform;
  deadLetters: { send(deadLetter: DeadLetter): Promise<unknown> };
  logger: Logger;
  writeGate?: PlatformWriteGate | undefined;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
  /** First pause before re-reading after a version conflict (default 100 ms). */
  conflictDelayMs?: number | undefined;
  /** Each platform's circuit breaker: a record that needs only open ones waits, no attempt counted. */
  breakers?: Readonly<Record<FailureTarget, PlatformAvailability>> | undefined;
  /** BambooHR's API, for reading back BambooHR signals; undefined: signals wait (retried). */
  employees?: BambooHrEmployeeReader | undefined;
  /** How the event's validation is imported at the first record (tests make it fail). */
  importEventValidation?: (() => Promise<EventValidation>) | undefined;
}

/** What the record processor asks of a platform's circuit breaker. */
export interface PlatformAvailability {
  /** When a record that needs the platform may try again; undefined: it may try now. */
  waitingUntil(): Promise<number | undefined>;
}

/** What one invocation gives each record it processes. */
export interface RecordContext {
  /** Unique per invocation (the Lambda request id): with the message id, the claim owner. */
  invocationId: string;
  /** When this attempt's ledger claim lapses, epoch ms (no later than the invocation's end). */
  claimExpiresAt: number;
  /** Aborts platform calls when the invocation is about to end. */
  signal: AbortSignal;
  logger: Logger;
}

/** The outcome, plus what the backoff needs. */
export type ProcessedRecord = RecordOutcome & { retryAfterMs?: number | undefined };

export type RecordIdentity = Pick<
  RecordOutcome,
  "messageId" | "eventId" | "subject" | "eventType" | "event"
>;

/** What every step of a record is given: the dependencies, and the options built once from them. */
export interface RecordSteps {
  deps: RecordProcessorDependencies;
  now: () => number;
  history: HistoryPolicy;
  accountOptions: AccountPlatformStepOptions;
  osisOptions: OsisStepOptions;
  planner: EventPlannerOptions;
  /** The event's validation, loaded at the first record that needs it. */
  loadValidation: () => Promise<EventValidation>;
}

/** The consumer's clock and limits, as an event is validated against them now. */
export function eventClock({ deps, now }: RecordSteps): EventClock {
  const { maxFutureSeconds, maxScheduleDays } = deps.config;
  return { now: now(), maxFutureSeconds, maxScheduleDays };
}

export function recordSteps(deps: RecordProcessorDependencies): RecordSteps {
  const now = deps.now ?? Date.now;
  const { config } = deps;
  const accountOptions: AccountPlatformStepOptions = {
    platform: deps.accountPlatform,
    tenantId: config.accountPlatform.tenantId,
    protectedAccounts: config.protectedAccounts,
    versionConflictRetries: config.versionConflictRetries,
    conflictDelayMs: deps.conflictDelayMs ?? 100,
    random: deps.random ?? Math.random,
    logger: deps.logger,
  };
  const osisOptions: OsisStepOptions = {
    platform: deps.osis,
    cdTenantId: config.osis.cdTenantId,
    cdTenantIds: config.osis.cdTenantIds,
    protectedAccounts: config.protectedAccounts,
  };
  return {
    deps,
    now,
    history: {
      size: config.historySize,
      retentionMs: config.historyRetentionDays * 24 * 3600 * 1000,
    },
    accountOptions,
    osisOptions,
    planner: {
      ledger: deps.ledger,
      targets: {
        accountPlatform: accountOptions,
        osis: osisOptions,
        protectedAccounts: config.protectedAccounts,
      },
      writeGate: deps.writeGate,
      now,
      osisCredentials: config.osis.credentials,
    },
    loadValidation: loadedOnce(deps.importEventValidation ?? importEventValidation),
  };
}
