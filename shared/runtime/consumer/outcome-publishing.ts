import { outcomeDetail } from "../outcomes/outcome-detail.ts";
import type { OutcomePublisher } from "../outcomes/outcome-publisher.ts";
import type { RecordOutcome } from "./outcome.ts";
import { publishedFacts } from "./published-outcome.ts";

/**
 * At the batch's end, after every record's outcome is in the ledger: one outcome event per
 * decision the batch reached (published-outcome.ts says which), PutEvents 10 a call. What is
 * not published is kept in the outbox by the publisher; nothing here changes a record's
 * outcome or its acknowledgement.
 */
export async function publishOutcomes(
  publisher: OutcomePublisher | undefined,
  outcomes: readonly RecordOutcome[],
  now: number,
  signal: AbortSignal,
): Promise<void> {
  if (publisher === undefined) return;
  const details = outcomes.flatMap((outcome) => {
    const facts = publishedFacts(outcome, now);
    return facts === undefined ? [] : [outcomeDetail(facts)];
  });
  await publisher.publish(details, signal);
}
