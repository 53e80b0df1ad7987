import { ChangeMessageVisibilityBatchCommand } from "@aws-sdk/client-sqs";
import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import {
  DEAD_LETTERED_METRIC,
  DRY_RUN_PLANNED_METRIC,
  EVENT_OUTCOME_METRIC,
  LEDGER_UNAVAILABLE_METRIC,
  PLATFORM_UNAVAILABLE_METRIC,
} from "../../contract/metrics.ts";
import type { SqsRequests } from "../aws/aws-clients.ts";
import type { PlatformBreaker } from "../breaker/platform-breaker.ts";
import { withLogKeys } from "../logging/log-keys.ts";
import { describeError, type LogFields, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { OutcomePublisher } from "../outcomes/outcome-publisher.ts";
import { backoffSeconds, waitingSeconds } from "./backoff.ts";
import { processFifoBatch } from "./fifo-batch.ts";
import { invocationDeadlines, unlessCutOff } from "./invocation-deadline.ts";
import type { OnOutcome, RecordOutcome } from "./outcome.ts";
import { publishOutcomes } from "./outcome-publishing.ts";
import { peekEvent } from "./peek-event.ts";
import {
  type ProcessedRecord,
  RecordProcessor,
  type RecordProcessorDependencies,
} from "./record-processor.ts";
import { messageGroupOf, type SqsRecordLike } from "./sqs-record.ts";

export interface BatchProcessorDependencies extends RecordProcessorDependencies {
  /** Each platform's circuit breaker (shared/runtime/breaker/); none: every call goes. */
  breakers?: Readonly<Record<FailureTarget, PlatformBreaker>> | undefined;
  /** Changes the visibility of failed records on the source queue (`config.queueUrl`). */
  sqs: SqsRequests;
  metrics: Metrics;
  /** Told of every record's outcome (the local demo and the chaos test count them). */
  onOutcome?: OnOutcome | undefined;
  /** Publishes the batch's outcomes on EventBridge at its end; none: publishing is off. */
  outcomePublisher?: OutcomePublisher | undefined;
}

/** What the batch processor needs of an invocation (a Lambda context fits). */
export interface Invocation {
  /** Unique per invocation (Lambda: `awsRequestId`). */
  id: string;
  remainingTimeMs(): number;
}

export interface BatchResult {
  /** ReportBatchItemFailures: the records SQS should deliver again. */
  batchItemFailures: { itemIdentifier: string }[];
  outcomes: RecordOutcome[];
}

/**
 * One SQS batch: the FIFO rules (fifo-batch.ts) around the per-record steps, then the
 * visibility of every record reported failed. A record that was tried and failed gets the
 * backoff of its attempt (so the group waits that long); a record not tried is released at
 * once (visibility 0), ready to follow the failed one when SQS unlocks the group.
 */
export class BatchProcessor {
  readonly #deps: BatchProcessorDependencies;
  readonly #records: RecordProcessor;
  readonly #now: () => number;

  constructor(deps: BatchProcessorDependencies) {
    this.#deps = deps;
    this.#records = new RecordProcessor(deps);
    this.#now = deps.now ?? Date.now;
  }

  async process(records: readonly SqsRecordLike[], invocation: Invocation): Promise<BatchResult> {
    const { config } = this.#deps;
    const logger = this.#deps.logger.child({ invocationId: invocation.id });
    const remaining = invocation.remainingTimeMs();
    const now = this.#now();
    const deadlines = invocationDeadlines(remaining, config.deadlineMarginMs);
    const signal = deadlines.platformCalls;
    const claimExpiresAt = Math.min(now + config.claimTtlSeconds * 1000, now + remaining);

    const results = await processFifoBatch(records, {
      groupOf: messageGroupOf,
      concurrency: config.groupConcurrency,
      canStart: () => invocation.remainingTimeMs() > config.deadlineMarginMs,
      stop: deadlines.records,
      process: (record) =>
        withLogKeys(
          { messageId: record.messageId, ...peekEvent(record.body) },
          async (): Promise<ProcessedRecord> => {
            const processed = await this.#records.process(record, {
              invocationId: invocation.id,
              claimExpiresAt,
              signal,
              logger,
            });
            // A decision recorded in the ledger keeps the time it was recorded at.
            return { ...processed, at: processed.at ?? this.#now() };
          },
        ),
      isFailure: (result) => result.outcome === "retried",
      onThrow: (record, error): ProcessedRecord => {
        logger.error("Processing a record threw", {
          messageId: record.messageId,
          error: describeError(error),
        });
        return {
          outcome: "retried",
          cause: "transient",
          messageId: record.messageId,
          ...peekEvent(record.body),
        };
      },
    });

    const outcomes: RecordOutcome[] = results.map((result) => {
      if (!result.ran) {
        if (result.cause === "unfinished") {
          // Still running (a call that takes no signal stalled): failed for now, and visible
          // again once its ledger claim lapses, when the next delivery can take the person.
          const claimLeftMs = claimExpiresAt - this.#now();
          return {
            outcome: "retried",
            cause: "deadline",
            messageId: result.record.messageId,
            ...peekEvent(result.record.body),
            visibilityTimeoutSeconds: Math.max(0, Math.ceil(claimLeftMs / 1000)),
          };
        }
        return {
          outcome: "untried",
          cause: result.cause,
          messageId: result.record.messageId,
          ...peekEvent(result.record.body),
          visibilityTimeoutSeconds: 0,
        };
      }
      const { retryAfterMs, ...outcome } = result.result;
      if (outcome.outcome !== "retried") return outcome;
      if (outcome.cause === "platform_unavailable" || outcome.cause === "ledger_unavailable") {
        return {
          ...outcome,
          // Never sooner than it asked (an OSIS write in doubt whose mark may not be written).
          visibilityTimeoutSeconds: Math.max(
            waitingSeconds(config.outage.waitSeconds, this.#deps.random),
            Math.ceil((retryAfterMs ?? 0) / 1000),
          ),
        };
      }
      return {
        ...outcome,
        visibilityTimeoutSeconds: backoffSeconds(outcome.attempts ?? 1, config.backoff, {
          retryAfterMs,
          random: this.#deps.random,
        }),
      };
    });

    await this.#changeVisibility(records, outcomes, logger, deadlines.report);
    for (const outcome of outcomes) this.#report(outcome, logger);
    await publishOutcomes(this.#deps.outcomePublisher, outcomes, {
      now: this.#now(),
      deadline: deadlines.report,
      logger,
    });
    // The breakers live in the ledger table: while it is unavailable, reading them would only
    // spend the invocation's time on the SDK's retries (their series skips this batch, as it
    // does when the reads are not done by the deadline).
    if (this.#reportLedger(outcomes, logger) === 0) {
      await unlessCutOff(this.#reportBreakers(), deadlines.report, undefined);
    }
    return {
      batchItemFailures: outcomes
        .filter((o) => o.outcome === "retried" || o.outcome === "untried")
        .map((o) => ({ itemIdentifier: o.messageId })),
      outcomes,
    };
  }

  /** One batch call; should it fail, the records come back after the queue's own timeout. */
  async #changeVisibility(
    records: readonly SqsRecordLike[],
    outcomes: readonly RecordOutcome[],
    logger: Logger,
    deadline: AbortSignal,
  ): Promise<void> {
    const entries = outcomes.flatMap((outcome, index) =>
      outcome.visibilityTimeoutSeconds === undefined
        ? []
        : [
            {
              Id: String(index),
              ReceiptHandle: records[index]?.receiptHandle,
              VisibilityTimeout: outcome.visibilityTimeoutSeconds,
            },
          ],
    );
    if (entries.length === 0) return;
    try {
      const output = await this.#deps.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#deps.config.queueUrl,
          Entries: entries,
        }),
        { abortSignal: deadline },
      );
      for (const failed of output.Failed ?? []) {
        logger.warn("Could not change a failed record's visibility", {
          messageId: outcomes[Number(failed.Id)]?.messageId,
          code: failed.Code,
        });
      }
    } catch (error) {
      logger.warn("Could not change the failed records' visibility", {
        error: describeError(error),
      });
    }
  }

  /** `LedgerUnavailable`: records held up by the ledger in this batch, 0 if none (infra alarms on it); returns it. */
  #reportLedger(outcomes: readonly RecordOutcome[], logger: Logger): number {
    const held = outcomes.filter(
      (o) => o.cause === "ledger_unavailable" || o.reason === "ledger_unavailable",
    ).length;
    this.#deps.metrics.count(LEDGER_UNAVAILABLE_METRIC, {}, held);
    if (held > 0) {
      logger.warn("The ledger is unavailable: records wait for it", { records: held });
    }
    return held;
  }

  /** `PlatformUnavailable`, per platform, 1 while its breaker is open (infra alarms on it). */
  async #reportBreakers(): Promise<void> {
    for (const breaker of Object.values(this.#deps.breakers ?? {})) {
      const open = await breaker.isOpenNow();
      this.#deps.metrics.count(
        PLATFORM_UNAVAILABLE_METRIC,
        { platform: breaker.platform },
        open ? 1 : 0,
      );
    }
  }

  #report(outcome: RecordOutcome, logger: Logger): void {
    const { metrics, onOutcome } = this.#deps;
    // The event's fields are on the line already (eventId, subject, eventType).
    const { event: _event, ...fields }: LogFields = { ...outcome };
    // A dry-run plan is in the DLQ by design: counted apart, so that no dead-letter alarm fires.
    const planned = outcome.outcome === "dead_lettered" && outcome.reason === "dry_run";
    if (planned) {
      logger.info("Dry-run plan sent to the dead-letter queue (dry_run)", fields);
    } else if (outcome.cause === "platform_unavailable") {
      // The breaker logs its opening and closing; a line per waiting record would be noise.
      logger.debug("Event waits for its platform (circuit breaker open)", fields);
    } else if (outcome.outcome === "dead_lettered" || outcome.outcome === "retried") {
      logger.warn(MESSAGES[outcome.outcome], fields);
    } else {
      logger.info(MESSAGES[outcome.outcome], fields);
    }
    metrics.count(EVENT_OUTCOME_METRIC, { outcome: outcome.outcome });
    if (planned) {
      metrics.count(DRY_RUN_PLANNED_METRIC, { plan: outcome.plan ?? "unknown" });
    } else if (outcome.outcome === "dead_lettered") {
      metrics.count(DEAD_LETTERED_METRIC, {
        reason: outcome.reason ?? "unknown",
        target: outcome.target ?? "none",
      });
    }
    try {
      onOutcome?.(outcome);
    } catch (error) {
      logger.warn("The outcome callback failed", { error: describeError(error) });
    }
  }
}

const MESSAGES: Record<RecordOutcome["outcome"], string> = {
  applied: "Event applied",
  scheduled: "Event scheduled for its effectiveAt; acknowledged without writes",
  cancelled: "Scheduled change was cancelled before it fell due; acknowledged without writes",
  duplicate: "Duplicate event acknowledged without writes",
  stale: "Stale event acknowledged without writes",
  dead_lettered: "Event sent to the dead-letter queue",
  retried: "Event failed for now; it will be retried",
  untried: "Record not tried; released for redelivery",
};
