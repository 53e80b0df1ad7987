import { Duration } from "aws-cdk-lib";
import { MathExpression } from "aws-cdk-lib/aws-cloudwatch";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import { SIGNATURE_FAILURES } from "../../shared/contract/signature-failures.ts";

import type { AlarmTopic } from "./alarm-topic.ts";

/**
 * The refusals that mean a configured sender is locked out: every failed signature check but
 * a missing header (what scanners of a public URL send), and any 403. The query lists them with
 * OR only, the one combination Metrics Insights documents without parentheses.
 */
export function senderRefusedQuery(): string {
  const { namespace, webhookRejected } = PRODUCT_METRICS;
  const schema = [`"${namespace}"`, ...webhookRejected.dimensions].join(", ");
  const reasons = SIGNATURE_FAILURES.filter((failure) => failure !== "missing_header").map(
    (failure) => `reason = '${failure}'`,
  );
  return `SELECT SUM(${webhookRejected.name}) FROM SCHEMA(${schema}) WHERE ${[...reasons, "status = '403'"].join(" OR ")}`;
}

/**
 * The webhook door's alarm: a sender whose deliveries are refused for 30 minutes running (its
 * key rotated away, a key that is not the one BambooHR shows, a sender's clock off by over
 * five minutes), which no 5xx alarm would ever see.
 */
export function addWebhookAlarms(topic: AlarmTopic): void {
  topic.add("WebhookSenderRefused", {
    metric: new MathExpression({
      expression: senderRefusedQuery(),
      period: Duration.minutes(15),
      label: "signed requests refused",
      usingMetrics: {},
    }),
    threshold: 1,
    evaluationPeriods: 2,
    description:
      "Signed webhook requests have been refused (401/403) for 30 minutes: a sender's key no longer verifies, or its clock is off. The webhook's warnings name the failed check (failedCheck) and the route; see README.md, \"A sender's deliveries are refused\".",
  });
}
