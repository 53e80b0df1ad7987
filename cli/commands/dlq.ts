import { type CommandModule, helpAfter } from "./command-module.ts";
import { dlqDiscardCommand } from "./dlq-discard.ts";
import { dlqListCommand } from "./dlq-list.ts";
import { dlqRedriveCommand } from "./dlq-redrive.ts";

/** `lifecycle dlq <list|redrive|discard>`: the dead-letter queue. */
export const dlqCommand: CommandModule = {
  register(parent, context) {
    const dlq = parent
      .command("dlq")
      .description(
        "Inspect, redrive or discard dead letters (events the consumer could not apply).",
      );
    for (const sub of [dlqListCommand, dlqRedriveCommand, dlqDiscardCommand]) {
      sub.register(dlq, context);
    }
    return helpAfter(dlq, [
      "lifecycle dlq list",
      "lifecycle dlq redrive --reason retries_exhausted --dry-run",
      "lifecycle dlq discard --reason invalid_event",
    ]);
  },
};
