import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/**
 * When the product first received an event: the webhook and `lifecycle send` stamp it on the
 * message they put on the source queue, the scheduler and a redrive carry the original one
 * forward, and a dead letter keeps it. An ISO 8601 instant, like `lifecycle.failure.at`. An
 * event sent straight to SQS has none: the queue's `SentTimestamp` stands in for it. The
 * consumer orders events by the earlier of `time` and the arrival (timeline-rules.ts, rule 1).
 */
export const ARRIVAL_ATTRIBUTE = "lifecycle.arrival.at";

/** The message attribute for an arrival (epoch ms). */
export function arrivalAttributes(arrivedAt: number): Record<string, MessageAttributeValue> {
  return {
    [ARRIVAL_ATTRIBUTE]: { DataType: "String", StringValue: new Date(arrivedAt).toISOString() },
  };
}

/** Epoch ms of an attribute's value; undefined when absent or not an instant. */
export function parseArrival(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : undefined;
}
