import { CfnOutput, type Stack } from "aws-cdk-lib";
import { STACK_OUTPUTS } from "../shared/contract/stack-outputs.ts";
import { SCIM_BASE_PATH } from "../shared/contract/webhook-routes.ts";
import { normalizeDatacenterUrl } from "../shared/runtime/configuration/datacenter-url.ts";
import type { AccessPolicies } from "./constructs/access-policies.ts";
import type { EventQueues } from "./constructs/event-queues.ts";
import type { LedgerTable } from "./constructs/ledger-table.ts";
import type { OutcomeBus } from "./constructs/outcome-bus.ts";
import type { PlatformSecrets } from "./constructs/platform-secrets.ts";
import type { WebhookApi } from "./constructs/webhook-api.ts";
import type { StackConfiguration } from "./stack-configuration.ts";

/** The parts of the stack its outputs name. */
interface OutputSources {
  queues: EventQueues;
  ledger: LedgerTable;
  webhook: WebhookApi;
  secrets: PlatformSecrets;
  accessPolicies: AccessPolicies;
  outcomes: OutcomeBus;
}

/** The stack outputs: a contract, the `lifecycle` CLI reads them (`--stack NAME`). */
export function addStackOutputs(
  stack: Stack & OutputSources,
  config: Pick<StackConfiguration, "accountPlatform" | "osis">,
): void {
  const parts: OutputSources = stack;
  const output = (id: string, value: string, description: string): void => {
    new CfnOutput(stack, id, { value, description });
  };
  output(STACK_OUTPUTS.queueUrl, parts.queues.queue.queueUrl, "The FIFO source queue");
  output(STACK_OUTPUTS.dlqUrl, parts.queues.deadLetterQueue.queueUrl, "The FIFO DLQ");
  output(STACK_OUTPUTS.ledgerTable, parts.ledger.table.tableName, "The ledger (DynamoDB)");
  output(
    STACK_OUTPUTS.webhookUrl,
    parts.webhook.url,
    "POST to /events (Standard Webhooks) or /bamboohr",
  );
  output(
    STACK_OUTPUTS.scimUrl,
    `${parts.webhook.url}${SCIM_BASE_PATH}`,
    "SCIM 2.0 base URL for Okta or Microsoft Entra (docs/scim.md)",
  );
  // The platforms as the consumer reaches them, so `lifecycle reconcile --stack` needs no more.
  output(
    STACK_OUTPUTS.accountPlatformUrl,
    normalizeDatacenterUrl(config.accountPlatform.url),
    "The account platform's datacenter URL",
  );
  output(
    STACK_OUTPUTS.osisUrl,
    `${new URL(config.osis.url).origin}${config.osis.basePath}`,
    "OSIS, with its base path",
  );
  // Each secret's ARN, described by the JSON shape to fill it with.
  const secretOutputs = [
    [
      STACK_OUTPUTS.accountPlatformSecretArn,
      parts.secrets.accountPlatform,
      "{clientId, clientSecret}",
    ],
    [STACK_OUTPUTS.osisSecretArn, parts.secrets.osis, "{username, password} or {token}"],
    [STACK_OUTPUTS.webhookSecretArn, parts.secrets.webhook, '{"keys": ["whsec_…"]}'],
    [STACK_OUTPUTS.bambooHrSecretArn, parts.secrets.bambooHr, '{"keys": ["…"]}'],
    [STACK_OUTPUTS.scimTokenSecretArn, parts.secrets.scimToken, '{"tokens": ["…"]}'],
    [
      STACK_OUTPUTS.bambooHrApiSecretArn,
      parts.secrets.bambooHrApi,
      '{"apiKey": "…", "companyDomain": "…"}',
    ],
  ] as const;
  for (const [key, secret, shape] of secretOutputs) output(key, secret.secretArn, shape);

  output(
    STACK_OUTPUTS.operatorPolicyArn,
    parts.accessPolicies.operator.managedPolicyArn,
    "Attach to whoever runs lifecycle commands against this stack",
  );
  output(
    STACK_OUTPUTS.producerPolicyArn,
    parts.accessPolicies.producer.managedPolicyArn,
    "Attach to a system that sends events straight to the source queue",
  );
  // Where the outcomes go; the webhook's key only when there is a webhook.
  const { bus, logGroup, webhook } = parts.outcomes;
  const outcomeOutputs: [string, string, string][] = [
    [STACK_OUTPUTS.outcomeBusName, bus.eventBusName, "The bus every outcome is published to"],
    [STACK_OUTPUTS.outcomeLogGroupName, logGroup.logGroupName, "Every outcome, as delivered"],
  ];
  if (webhook) {
    outcomeOutputs.push([
      STACK_OUTPUTS.outcomeWebhookSecretArn,
      webhook.secret.secretArn,
      '{"apiKey": "…"}',
    ]);
  }
  for (const [key, value, description] of outcomeOutputs) output(key, value, description);
}
