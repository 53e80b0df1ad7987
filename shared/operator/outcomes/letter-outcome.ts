import type { LifecycleChangeOutcome } from "../../../schemas/lifecycle-change-outcome.ts";
import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import type { DeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";
import { outcomeDetail } from "../../runtime/outcomes/outcome-detail.ts";

/**
 * The outcome event of a dead letter an operator acted on: `redriven` (sent back to the source
 * queue; the consumer's own outcome follows) or `discarded` (deleted for good). The letter's
 * message id is its `dlqMessageId`, the id a `dead_lettered` outcome named, and its reason the
 * one the letter carried.
 */
export function letterOutcome(
  entry: DeadLetterEntry,
  outcome: "redriven" | "discarded",
  at: number,
): LifecycleChangeOutcome {
  const data = entry.event?.data;
  const named: FailureTarget[] = [];
  if (data?.accountPlatform !== undefined) named.push("account-platform");
  if (data?.osis !== undefined) named.push("osis");
  return outcomeDetail({
    outcome,
    at,
    attempt: entry.failure.attempts,
    event: {
      id: entry.eventId,
      source: entry.source,
      subject: entry.subject,
      type: entry.type,
      time: entry.eventTime,
      effectiveAt: data?.effectiveAt,
    },
    named,
    reason: entry.failure.reason,
    dlqMessageId: entry.messageId,
  });
}
