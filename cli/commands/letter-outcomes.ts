import type { LifecycleSettings } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { letterOutcome } from "../../shared/operator/outcomes/letter-outcome.ts";
import type { DeadLetterEntry } from "../../shared/runtime/dlq/dead-letter-entry.ts";
import type { CommandContext } from "../command-context.ts";

/**
 * After the audit log recorded what the command did: one outcome event per dead letter it
 * redrove or discarded, through the functions' publisher (what EventBridge refuses goes to
 * the ledger's outbox, which the scheduler publishes). Never changes how the command ends.
 */
export async function publishLetterOutcomes(
  context: CommandContext,
  settings: LifecycleSettings,
  entries: readonly DeadLetterEntry[],
  outcome: "redriven" | "discarded",
): Promise<void> {
  if (entries.length === 0) return;
  const publisher = context.outcomePublisher(settings);
  if (publisher === undefined) return;
  const at = context.now();
  const { kept } = await publisher.publish(
    entries.map((entry) => letterOutcome(entry, outcome, at)),
    context.io.signal,
  );
  if (kept > 0) {
    context.note(
      `${kept} ${outcome} outcome${kept === 1 ? "" : "s"} could not be published now; the scheduler publishes ${kept === 1 ? "it" : "them"} from the outbox.`,
    );
  }
}
