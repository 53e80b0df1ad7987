import {
  DLQ_ATTRIBUTES,
  type FailureReason,
  type FailureTarget,
} from "../../contract/dead-letter-attributes.ts";
import { type DeadLetter, deadLetterGroupId } from "../dlq/dead-letter-message.ts";
import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import { CircuitOpenError } from "../errors/platform-errors.ts";
import { readBambooHrSignal } from "../events/bamboohr-signal.ts";
import { effectiveAtMs, type LifecycleEvent, wantsEnabled } from "../events/lifecycle-event.ts";
import { describeProblems, parseLifecycleEvent } from "../events/validation.ts";
import { OPEN_WRITE_GATE, onceOnly, type PlatformWriteGate } from "../guard/write-gate.ts";
import type { PersonLedger } from "../ledger/person-ledger.ts";
import {
  completeApplied,
  completeDeadLettered,
  type EventStep,
  type HistoryPolicy,
  inProgressOf,
  markDeadLetterPending,
  markTargetDone,
  recordFailedAttempt,
  refOf,
  startAttempt,
} from "../ledger/person-ledger-rules.ts";
import type { PendingDeadLetter, ResolvedTargets } from "../ledger/person-record.ts";
import { acknowledge, scheduleChange, settleSchedule } from "../ledger/schedule-rules.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { AccountPlatform } from "../platforms/account-platform/account-platform.ts";
import type { BambooHrEmployeeReader } from "../platforms/bamboohr/bamboohr-client.ts";
import type { OsisPlatform } from "../platforms/osis/osis.ts";
import { correctedEventKey } from "../reconcile/corrective-event.ts";
import { judgeArrival } from "./arrival-verdict.ts";
import { readBackEmployee } from "./bamboohr-read-back.ts";
import { ClaimedPerson } from "./claimed-person.ts";
import type { ConsumerConfig } from "./consumer-config.ts";
import { describePlan } from "./event-plan.ts";
import { classifyFailure, type Failure } from "./failure-classification.ts";
import {
  decideAfterFailure,
  type FailureDecision,
  type OutagePatience,
} from "./failure-decision.ts";
import type { RecordOutcome } from "./outcome.ts";
import { peekEvent } from "./peek-event.ts";
import { type EventPlannerOptions, planEvent } from "./plan-event.ts";
import { arrivalOf, queuedForMs, receiveCountOf, type SqsRecordLike } from "./sqs-record.ts";
import {
  type AccountPlatformStepOptions,
  applyAccountPlatform,
  refuseProtectedAccountUser,
  resolveAccountPlatformUser,
} from "./targets/account-platform-target.ts";
import {
  applyOsis,
  type OsisStepOptions,
  refuseProtectedOsisUser,
  resolveOsisUser,
} from "./targets/osis-target.ts";
import type { TargetReadOptions } from "./targets/read-targets.ts";
import type { TargetChange } from "./targets/target-change.ts";

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

type RecordIdentity = Pick<RecordOutcome, "messageId" | "eventId" | "subject" | "eventType">;

/**
 * One record, start to end (docs/consumer.md, "Per record"): validate → claim the person →
 * duplicate/stale check → resolve the targets → per target read, skip or write → record the
 * outcome and release the claim. Failures become outcomes here; nothing is thrown.
 */
export class RecordProcessor {
  readonly #deps: RecordProcessorDependencies;
  readonly #now: () => number;
  readonly #history: HistoryPolicy;
  readonly #accountOptions: AccountPlatformStepOptions;
  readonly #osisOptions: OsisStepOptions;
  readonly #reads: TargetReadOptions;
  readonly #planner: EventPlannerOptions;

  constructor(deps: RecordProcessorDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const { config } = deps;
    this.#history = {
      size: config.historySize,
      retentionMs: config.historyRetentionDays * 24 * 3600 * 1000,
    };
    this.#accountOptions = {
      platform: deps.accountPlatform,
      tenantId: config.accountPlatform.tenantId,
      protectedAccounts: config.protectedAccounts,
      versionConflictRetries: config.versionConflictRetries,
      conflictDelayMs: deps.conflictDelayMs ?? 100,
      random: deps.random ?? Math.random,
      logger: deps.logger,
    };
    this.#osisOptions = {
      platform: deps.osis,
      cdTenantId: config.osis.cdTenantId,
      cdTenantIds: config.osis.cdTenantIds,
      protectedAccounts: config.protectedAccounts,
    };
    this.#reads = {
      accountPlatform: this.#accountOptions,
      osis: this.#osisOptions,
      protectedAccounts: config.protectedAccounts,
    };
    this.#planner = {
      ledger: deps.ledger,
      targets: this.#reads,
      writeGate: deps.writeGate,
      now: this.#now,
    };
  }

  async process(received: SqsRecordLike, context: RecordContext): Promise<ProcessedRecord> {
    const record = await this.#readBack(received, context);
    if ("outcome" in record) return record;
    const parsed = parseLifecycleEvent(record.body, {
      now: this.#now(),
      maxFutureSeconds: this.#deps.config.maxFutureSeconds,
      maxScheduleDays: this.#deps.config.maxScheduleDays,
    });
    if (!parsed.ok) {
      return this.#deadLetterInvalid(record, describeProblems(parsed.problems), context);
    }
    const event = parsed.event;
    const seen: RecordIdentity = {
      messageId: record.messageId,
      eventId: event.id,
      subject: event.subject,
      eventType: event.type,
    };
    // A dry run's letter keeps the message as received: a signal is read back again when redriven.
    if (this.#deps.config.dryRun) return this.#dryRun(received, event, seen, context);

    const owner = `${context.invocationId}/${record.messageId}`;
    const claim = await this.#deps.ledger
      .claim(event.subject, { owner, expiresAt: context.claimExpiresAt, now: this.#now() })
      .catch((error: unknown) => ({ failed: error }) as const);
    if ("failed" in claim) return this.#failed(record, seen, claim.failed, context);
    if (!claim.claimed) {
      return {
        ...seen,
        outcome: "retried",
        cause: "claim_held",
        detail: "another invocation holds this person's ledger claim",
      };
    }
    const person = new ClaimedPerson(this.#deps.ledger, owner, claim.record, context.logger);
    try {
      return await this.#processClaimed(record, event, seen, person, context);
    } catch (error) {
      // The ledger failed under us (or the claim was lost): nothing more can be recorded.
      const attempts = person.record.inProgress?.attempts;
      return { ...(await this.#failed(record, seen, error, context, attempts)), attempts };
    } finally {
      await person.releaseQuietly(context.logger);
    }
  }

  /**
   * A BambooHR signal becomes the event HR's current values make (bamboohr-read-back.ts), and
   * goes on as if the record had carried it; any other record is itself. The read is made
   * before the person is claimed; its failures are counted by SQS's receive count (no ledger
   * item is involved yet), and at the limit the signal itself is dead-lettered, to be read
   * again when redriven.
   */
  async #readBack(
    record: SqsRecordLike,
    context: RecordContext,
  ): Promise<SqsRecordLike | ProcessedRecord> {
    const signal = readBambooHrSignal(record.body);
    if (signal === undefined) return record;
    const { config } = this.#deps;
    try {
      if (this.#deps.employees === undefined) {
        throw new CredentialsNotConfiguredError(
          "BAMBOOHR_API_SECRET_ID",
          "the consumer has no BambooHR API to read the employee back with",
        );
      }
      const event = await readBackEmployee(signal, {
        employees: this.#deps.employees,
        mapping: config.bamboohr.bamboohrMapping,
        clock: {
          now: this.#now(),
          maxFutureSeconds: config.maxFutureSeconds,
          maxScheduleDays: config.maxScheduleDays,
        },
        signal: context.signal,
      });
      return { ...record, body: JSON.stringify(event) };
    } catch (error) {
      const seen = { messageId: record.messageId, eventId: signal.id, subject: signal.subject };
      const failure = classifyFailure(error);
      const attempt = receiveCountOf(record);
      const decision = this.#decide(record, failure, attempt);
      if (decision.action !== "dead_letter") {
        return failedOutcome({ ...seen, eventType: signal.type }, failure, attempt, decision);
      }
      const pending = this.#pending(record, failure, decision.reason, attempt);
      return this.#sendDeadLetter(record, seen, pending, context.logger);
    }
  }

  /** Judge the event; apply it; record the outcome (the claim is released with it). */
  async #processClaimed(
    record: SqsRecordLike,
    event: LifecycleEvent,
    seen: RecordIdentity,
    person: ClaimedPerson,
    context: RecordContext,
  ): Promise<ProcessedRecord> {
    const arrivedAt = arrivalOf(record);
    const ref = refOf(event, arrivedAt);
    const step = (): EventStep => ({
      record: person.record,
      event: ref,
      now: this.#now(),
      policy: this.#history,
      messageId: record.messageId,
    });
    const effectiveAt = effectiveAtMs(event);
    const at = { now: this.#now(), arrivedAt, messageId: record.messageId };
    const verdict = judgeArrival(person.record, event, at);
    const newest = person.record.newestApplied;
    if (
      verdict === "stale" &&
      newest !== undefined &&
      (newest.decidedAt ?? newest.time) > this.#now()
    ) {
      // Events are decided no later than their arrival: only one applied before arrivals were
      // kept can be decided ahead, and until then it keeps this person's events from applying.
      context.logger.warn("Stale behind an applied event dated in the future", {
        subject: event.subject,
        eventId: event.id,
        eventTime: new Date(ref.time).toISOString(),
        newerEventId: newest.id,
        newerEventTime: new Date(newest.time).toISOString(),
      });
    }
    if (verdict === "schedule" && effectiveAt !== undefined) {
      // The change's own item first: the person's item listing it is what makes it pending.
      const change = { ...ref, subject: event.subject, effectiveAt, scheduledAt: this.#now() };
      await this.#deps.ledger.putChange({ ...change, body: record.body });
      await person.release(scheduleChange({ ...step(), effectiveAt }));
      return { ...seen, outcome: "scheduled", effectiveAt: event.data.effectiveAt };
    }
    if (verdict === "duplicate" || verdict === "stale" || verdict === "cancelled") {
      await person.release(acknowledge({ ...step(), outcome: verdict }));
      return { ...seen, outcome: verdict };
    }

    // Rule 2 of the dead-letter rules (person-ledger-rules.ts): only the send is left.
    const decided = inProgressOf(person.record, ref, record.messageId)?.pendingDeadLetter;
    const attempted = decided ?? (await this.#attempt(record, event, seen, person, step, context));
    if ("outcome" in attempted) return attempted;
    const sent = await this.#sendDeadLetter(record, seen, attempted, context.logger);
    if (sent.outcome !== "dead_lettered") return sent;
    const { reason, target } = attempted;
    // Once sent, the message is acknowledged even if the ledger cannot record it: kept, it
    // could only be sent again, maybe past SQS's deduplication window (rule 3 of the rules).
    await person.release(completeDeadLettered({ ...step(), reason, target })).catch((error) =>
      context.logger.error("The dead letter was sent, but the ledger could not record it", {
        error: describeError(error),
      }),
    );
    return sent;
  }

  /**
   * One attempt at the event (not counted while only platforms with an open breaker are left):
   * applied, failed for now, or a dead letter decided and written to the ledger before it is sent.
   */
  async #attempt(
    record: SqsRecordLike,
    event: LifecycleEvent,
    seen: RecordIdentity,
    person: ClaimedPerson,
    step: () => EventStep,
    context: RecordContext,
  ): Promise<ProcessedRecord | PendingDeadLetter> {
    const { event: ref } = step();
    const corrects = correctedEventKey(event);
    // A corrective event re-asserts the applied state: it settles no scheduled change.
    const settled =
      corrects === undefined ? settleSchedule(step(), effectiveAtMs(event)) : person.record;
    // Only platforms whose breaker is open are left: wait for them, no attempt counted.
    const done = inProgressOf(person.record, ref, record.messageId)?.done;
    const waiting = await this.#waitingFor(event, done);
    if (!waiting) await person.save(startAttempt({ ...step(), record: settled }));
    else if (settled !== person.record) await person.save(settled);
    const attempt = inProgressOf(person.record, ref, record.messageId)?.attempts ?? 0;
    let written: FailureTarget[] | undefined;
    try {
      if (waiting) throw waiting;
      written = await this.#applyTargets(event, person, attempt, context);
      const wantEnabled = wantsEnabled(event);
      const applied = { wantEnabled, corrects, effectiveAt: effectiveAtMs(event) };
      await person.release(completeApplied({ ...step(), ...applied }));
      return { ...seen, outcome: "applied", attempts: attempt, written };
    } catch (error) {
      const failure = classifyFailure(error);
      // Every target is as wanted and only the ledger's completion is missing: wait for the
      // ledger however long it takes (a dead letter would ask an operator to redo what is
      // done). The next delivery finds the targets as wanted, writes nothing, and completes.
      const decision: FailureDecision =
        written !== undefined && failure.kind === "waiting"
          ? { action: "wait" }
          : this.#decide(record, failure, attempt);
      if (decision.action !== "dead_letter") {
        // Waiting leaves no trace in the history: an outage would push the real entries out.
        const next =
          decision.action === "retry"
            ? recordFailedAttempt({ ...step(), target: failure.target })
            : person.record;
        const outcome = failedOutcome(seen, failure, attempt, decision);
        // Without the ledger nothing can be recorded; the claim expires by itself.
        if (failure.kind === "waiting" && failure.reason === "ledger_unavailable") {
          await person.release(next).catch(() => undefined);
          return outcome;
        }
        await person.release(next);
        return outcome;
      }
      const pending = this.#pending(record, failure, decision.reason, attempt);
      await person.save(
        markDeadLetterPending({ record: person.record, pending, now: this.#now() }),
      );
      return pending;
    }
  }

  /** After a failed attempt; a wait for an open breaker counts from when the record was queued. */
  /** `attempt` undefined: the ledger could not count it. */
  #decide(record: SqsRecordLike, failure: Failure, attempt: number | undefined): FailureDecision {
    return decideAfterFailure(
      failure,
      attempt,
      this.#deps.config.maxAttempts,
      this.#patience(record),
    );
  }

  /** The dead letter decided for `record` after `failure`. */
  #pending(
    record: SqsRecordLike,
    { target, status, detail }: Failure,
    reason: FailureReason,
    attempt: number,
  ): PendingDeadLetter {
    return {
      reason,
      attempt,
      messageId: record.messageId,
      at: this.#now(),
      detail,
      target,
      status,
    };
  }

  /**
   * Resolves every target still to do (both at once) before writing any, so a refusal or a
   * permanent lookup failure stops the event before it changed anything. The platforms are
   * independent for transient failures: a target whose read or write failed transiently (or
   * whose breaker is open) does not hold the other back. Each target applied is marked done in
   * the ledger, so a retry does not touch it again; then the failure is reported.
   */
  async #applyTargets(
    event: LifecycleEvent,
    person: ClaimedPerson,
    attempt: number,
    context: RecordContext,
  ): Promise<FailureTarget[]> {
    const { signal } = context;
    const want = wantsEnabled(event);
    const { accountTarget, osisTarget } = targetsToDo(event, person.record.inProgress?.done);

    const failures: unknown[] = [];
    const settled = <T>(read: PromiseSettledResult<T>): T | undefined => {
      if (read.status === "fulfilled") return read.value;
      if (classifyFailure(read.reason).kind === "permanent") throw read.reason;
      failures.push(read.reason);
      return undefined;
    };
    const [accountRead, osisRead] = await Promise.allSettled([
      accountTarget && resolveAccountPlatformUser(accountTarget, this.#accountOptions, signal),
      osisTarget && resolveOsisUser(osisTarget, this.#osisOptions, signal),
    ]);
    // In target order, whatever answered first.
    const account = settled(accountRead);
    const osis = settled(osisRead);
    if (!want) {
      const { protectedAccounts } = this.#deps.config;
      if (account) refuseProtectedAccountUser(account, protectedAccounts);
      if (osis) refuseProtectedOsisUser(osis, protectedAccounts);
    }

    const gate = this.#deps.writeGate ?? OPEN_WRITE_GATE;
    const openGate = onceOnly(() =>
      gate.beforeFirstWrite(event, { subject: event.subject, attempt, signal }),
    );
    const written: FailureTarget[] = [];
    const apply = async (
      target: FailureTarget,
      write: () => Promise<TargetChange>,
      resolved: ResolvedTargets,
      last: boolean,
    ) => {
      let change: TargetChange;
      try {
        change = await write();
      } catch (error) {
        if (classifyFailure(error).kind === "permanent") throw error;
        failures.push(error);
        return;
      }
      if (change !== "unchanged") written.push(target);
      const next = markTargetDone({ record: person.record, target, resolved, now: this.#now() });
      // One ledger write fewer per event: the completion write follows at once and carries
      // it (and so does the release after a failure). Should that write fail, the retry reads
      // this target, finds it already as wanted, and does not write it again.
      if (last) person.stage(next);
      else await person.save(next);
    };
    if (account) {
      await apply(
        "account-platform",
        () => applyAccountPlatform(account, want, this.#accountOptions, openGate, signal),
        { accountPlatform: { userId: account.id } },
        osis === undefined,
      );
    }
    if (osis) {
      await apply(
        "osis",
        () => applyOsis(osis, want, this.#osisOptions, openGate, signal),
        { osis: { tenantId: osis.tenantId, userId: osis.userId } },
        true,
      );
    }
    // A real failure counts before a wait for an open breaker.
    const failure =
      failures.find((error) => classifyFailure(error).kind !== "waiting") ?? failures[0];
    if (failure !== undefined) throw failure;
    return written;
  }

  /**
   * A `CircuitOpenError` when every target left to do is on a platform whose breaker is open
   * (and no probe is due), so the record waits without an attempt; undefined otherwise.
   */
  async #waitingFor(
    event: LifecycleEvent,
    done: readonly FailureTarget[] | undefined,
  ): Promise<CircuitOpenError | undefined> {
    const { breakers } = this.#deps;
    if (!breakers) return undefined;
    const { accountTarget, osisTarget } = targetsToDo(event, done);
    const platforms: FailureTarget[] = [
      ...(accountTarget ? (["account-platform"] as const) : []),
      ...(osisTarget ? (["osis"] as const) : []),
    ];
    let waiting: CircuitOpenError | undefined;
    for (const platform of platforms) {
      const retryAt = await breakers[platform].waitingUntil();
      if (retryAt === undefined) return undefined;
      waiting ??= new CircuitOpenError(
        `${platform}: not called, its circuit breaker is open (it stopped answering)`,
        { platform, operation: "apply", retryAt },
      );
    }
    return waiting;
  }

  /** The one way to the DLQ. A failed send leaves the record queued and retried, not lost. */
  async #sendDeadLetter(
    record: SqsRecordLike,
    seen: Omit<RecordIdentity, "eventType">,
    pending: PendingDeadLetter,
    logger: Logger,
  ): Promise<ProcessedRecord> {
    const { reason, target, status, detail, attempt, messageId, at } = pending;
    const facts = { ...seen, reason, target, status, detail, attempts: attempt };
    try {
      await this.#deps.deadLetters.send({
        body: record.body,
        groupId: deadLetterGroupId(seen.subject),
        sourceMessageId: messageId,
        attempt,
        reason,
        target,
        status,
        detail,
        at,
        redriveCount: record.messageAttributes?.[DLQ_ATTRIBUTES.redriveCount]?.stringValue,
        arrivedAt: arrivalOf(record),
      });
    } catch (error) {
      logger.error("Could not send to the dead-letter queue; the record stays queued", {
        messageId: record.messageId,
        error: describeError(error),
      });
      return { ...facts, outcome: "retried", cause: "dead_letter_send_failed" };
    }
    return { ...facts, outcome: "dead_lettered" };
  }

  /**
   * Not an event: straight to the DLQ (`invalid_event`). No ledger is involved, so the attempt
   * is always 1: a redelivery after a crash sends the same deduplication id again.
   */
  async #deadLetterInvalid(
    record: SqsRecordLike,
    detail: string,
    context: RecordContext,
  ): Promise<ProcessedRecord> {
    const { eventId, subject } = peekEvent(record.body);
    const seen = { messageId: record.messageId, eventId, subject };
    const reason: FailureReason = "invalid_event";
    const pending = { reason, attempt: 1, messageId: record.messageId, at: this.#now(), detail };
    return this.#sendDeadLetter(record, seen, pending, context.logger);
  }

  /**
   * Dry run: the plan (plan-event.ts, the code `lifecycle plan` runs) goes to the DLQ as
   * `dry_run`, in words, with the event, to be redriven once dry run is off; nothing else is
   * written. Attempts cannot be counted in the ledger, so SQS's receive count stands in for
   * them: a plan that could not be made is retried like any transient failure, and at the
   * limit the letter says what the consumer would then do (`retries_exhausted`).
   */
  async #dryRun(
    record: SqsRecordLike,
    event: LifecycleEvent,
    seen: RecordIdentity,
    context: RecordContext,
  ): Promise<ProcessedRecord> {
    const dry = { ...seen, dryRun: true };
    const attempt = receiveCountOf(record);
    let plan = await planEvent(event, this.#planner, context.signal, arrivalOf(record));
    if (plan.kind === "retry") {
      const failure: Failure = { ...plan, kind: "transient" };
      const decision = decideAfterFailure(failure, attempt, this.#deps.config.maxAttempts);
      if (decision.action !== "dead_letter") return failedOutcome(dry, failure, attempt, decision);
      plan = { ...plan, kind: "dead_letter", reason: decision.reason };
    }
    this.#deps.logger.info("Dry run: planned", { plan: plan.kind, detail: describePlan(plan) });
    const pending: PendingDeadLetter = {
      reason: "dry_run",
      attempt,
      messageId: record.messageId,
      at: this.#now(),
      detail: describePlan(plan),
      // A refusal's target and status, for the letter's attributes.
      ...(plan.kind === "dead_letter" ? { target: plan.target, status: plan.status } : {}),
    };
    const sent = await this.#sendDeadLetter(record, seen, pending, context.logger);
    return { ...sent, dryRun: true, plan: plan.kind };
  }

  /**
   * A failure where nothing but the outcome is to be recorded (the ledger failed, or the claim
   * was lost). No attempt counts; a record that waited for the ledger longer than the patience
   * goes to the DLQ as `ledger_unavailable` without it: the letter's attempt is the last one
   * the ledger counted (0 when none), the same on every delivery, so a resend after a crash
   * carries the same deduplication id.
   */
  async #failed(
    record: SqsRecordLike,
    seen: RecordIdentity,
    error: unknown,
    context: RecordContext,
    countedAttempts?: number | undefined,
  ): Promise<ProcessedRecord> {
    const failure = classifyFailure(error);
    const decision = this.#decide(record, failure, undefined);
    if (decision.action !== "dead_letter") return failedOutcome(seen, failure, undefined, decision);
    const pending = this.#pending(record, failure, decision.reason, countedAttempts ?? 0);
    return this.#sendDeadLetter(record, seen, pending, context.logger);
  }

  /** How long a record may wait for an outage to end. */
  #patience(record: SqsRecordLike): OutagePatience {
    return {
      patienceMs: this.#deps.config.outage.patienceSeconds * 1000,
      queuedForMs: queuedForMs(record, this.#now()),
    };
  }
}

function failedOutcome(
  seen: RecordIdentity,
  failure: Failure,
  attempts: number | undefined,
  decision: FailureDecision,
): ProcessedRecord {
  const { target, status, detail } = failure;
  const facts = { ...seen, target, status, detail, attempts };
  const waitingFor = failure.kind === "waiting" ? failure.reason : "platform_unavailable";
  switch (decision.action) {
    case "retry":
      return {
        ...facts,
        outcome: "retried",
        cause: "transient",
        retryAfterMs: decision.retryAfterMs,
      };
    case "wait":
      return { ...facts, outcome: "retried", cause: waitingFor };
    default:
      return { ...facts, outcome: "dead_lettered", reason: decision.reason };
  }
}

/** The targets an event names that are not done yet for it. */
function targetsToDo(event: LifecycleEvent, done: readonly FailureTarget[] = []) {
  return {
    accountTarget: done.includes("account-platform") ? undefined : event.data.accountPlatform,
    osisTarget: done.includes("osis") ? undefined : event.data.osis,
  };
}
