import { Duration, Stack, Validations } from "aws-cdk-lib";
import type { Stage } from "aws-cdk-lib/aws-apigateway";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import { CfnWebACL, CfnWebACLAssociation } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import type { WebhookApi } from "./webhook-api.ts";

export interface WebhookFirewallProps {
  /** The webhook API's stage the web ACL protects. */
  stage: Stage;
  /** Requests one client address may make in a minute before its requests are blocked. */
  requestsPerMinute: number;
}

/** How long WAF's rate rule looks back (seconds; WAF allows 60, 120, 300 or 600). */
const EVALUATION_WINDOW_SECONDS = 60;

/**
 * An AWS WAF web ACL on the webhook's stage with one rule: a rate limit per client IP, so a
 * flood from one address is stopped before it spends a route's throttle (the share of every
 * sender on that route). A blocked request is answered 503 with `Retry-After`, never WAF's
 * default 403: BambooHR sends from a few shared addresses and never retries a 4xx, but does
 * retry a 5xx, so a delivery caught in a neighbour's flood comes again instead of being lost.
 */
export class WebhookFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  /** The rule's blocks, per minute: WebhookRejected's 503s that the function never sees. */
  readonly blockedRequests: Metric;

  constructor(scope: Construct, id: string, props: WebhookFirewallProps) {
    super(scope, id);
    // A name derived from the stack, so that two stacks in one account and region never
    // collide; each metric name equals its name, so WAF's metric dimensions are known here
    // whichever of the two CloudWatch reports.
    const name = `${Stack.of(this).stackName}-webhook`;
    const ruleName = "RatePerClientIp";
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      name,
      description: "HR lifecycle sync webhooks: a rate limit per client address",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      customResponseBodies: {
        rateLimited: {
          contentType: "APPLICATION_JSON",
          content: JSON.stringify({
            type: "about:blank",
            title: "Service Unavailable",
            status: 503,
            detail: "Too many requests from this address; retry the whole request later.",
          }),
        },
      },
      rules: [
        {
          name: ruleName,
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: "IP",
              limit: props.requestsPerMinute,
              evaluationWindowSec: EVALUATION_WINDOW_SECONDS,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 503,
                customResponseBodyKey: "rateLimited",
                responseHeaders: [
                  // The address is let through again once its rate falls within the window.
                  { name: "Retry-After", value: String(EVALUATION_WINDOW_SECONDS) },
                ],
              },
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: ruleName,
            sampledRequestsEnabled: true,
          },
        },
      ],
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: name,
        sampledRequestsEnabled: true,
      },
    });
    new CfnWebACLAssociation(this, "StageAssociation", {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    this.blockedRequests = new Metric({
      namespace: "AWS/WAFV2",
      metricName: "BlockedRequests",
      dimensionsMap: { WebACL: name, Rule: ruleName, Region: Stack.of(this).region },
      statistic: "Sum",
      period: Duration.minutes(5),
      label: "503 rate_limited (WAF)",
    });
  }
}

/**
 * The firewall in front of the webhook API, or (with `lifecycle:webhookWaf=false`) none, and
 * then the cdk-nag finding acknowledged with the reason.
 */
export function protectWebhook(
  webhook: WebhookApi,
  waf: { requestsPerMinute: number } | undefined,
): WebhookFirewall | undefined {
  const stage = webhook.api.deploymentStage;
  if (waf !== undefined) {
    return new WebhookFirewall(webhook, "Firewall", { stage, ...waf });
  }
  Validations.of(stage).acknowledge({
    id: "AwsSolutions::AwsSolutions-APIG3",
    reason:
      "Left out on purpose with lifecycle:webhookWaf=false (README.md#deploy): each route keeps its own throttle and every request must carry a valid signature.",
  });
  return undefined;
}
