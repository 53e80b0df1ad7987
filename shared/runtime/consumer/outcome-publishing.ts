import type { Logger } from "../logging/logger.ts";
import { outcomeDetail } from "../outcomes/outcome-detail.ts";
import type { OutcomePublisher } from "../outcomes/outcome-publisher.ts";
import { unlessCutOff } from "./invocation-deadline.ts";
import type { RecordOutcome } from "./outcome.ts";
import { publishedFacts } from "./published-outcome.ts";

/**
 * At the batch's end, after every record's outcome is in the ledger: one outcome event per
 * decision the batch reached (published-outcome.ts says which), PutEvents 10 a call. What is
 * not published is kept in the outbox by the publisher; nothing here changes a record's
 * outcome or its acknowledgement. At the invocation's report deadline the publish is no longer
 * waited for (the batch must answer before Lambda's timeout), and its outcomes are logged whole.
 */
export async function publishOutcomes(
  publisher: Pick<OutcomePublisher, "publish"> | undefined,
  outcomes: readonly RecordOutcome[],
  context: { now: number; deadline: AbortSignal; logger: Logger },
): Promise<void> {
  if (publisher === undefined) return;
  const details = outcomes.flatMap((outcome) => {
    const facts = publishedFacts(outcome, context.now);
    return facts === undefined ? [] : [outcomeDetail(facts)];
  });
  const done = await unlessCutOff(
    publisher.publish(details, context.deadline).then(() => true),
    context.deadline,
    false,
  );
  if (!done) {
    context.logger.error("The invocation ended before its outcomes were published", {
      outcomes: details,
    });
  }
}
