import { Duration } from "aws-cdk-lib";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { IEventBus, IRule } from "aws-cdk-lib/aws-events";

/**
 * One of EventBridge's metrics of a rule (`FailedInvocations`, `InvocationsSentToDlq`, …),
 * summed over five minutes. A rule on a custom bus is measured by bus and rule, one on the
 * default bus by rule alone.
 */
export function ruleMetric(bus: IEventBus, rule: IRule, metricName: string): Metric {
  return new Metric({
    namespace: "AWS/Events",
    metricName,
    dimensionsMap: {
      RuleName: rule.ruleName,
      ...(bus.eventBusName === "default" ? {} : { EventBusName: bus.eventBusName }),
    },
    statistic: "Sum",
    period: Duration.minutes(5),
  });
}
