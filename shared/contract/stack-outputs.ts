/**
 * The deployed stack's outputs, by output key: infra/hr-lifecycle-sync-stack.ts defines them,
 * the CLI reads them (`--stack`).
 */
export const STACK_OUTPUTS = {
  queueUrl: "QueueUrl",
  dlqUrl: "DeadLetterQueueUrl",
  ledgerTable: "LedgerTableName",
  webhookUrl: "WebhookUrl",
  accountPlatformUrl: "AccountPlatformUrl",
  /** OSIS origin and base path in one URL. */
  osisUrl: "OsisUrl",
  accountPlatformSecretArn: "AccountPlatformSecretArn",
  osisSecretArn: "OsisSecretArn",
  webhookSecretArn: "WebhookSecretArn",
  bambooHrSecretArn: "BambooHrSecretArn",
  bambooHrApiSecretArn: "BambooHrApiSecretArn",
  /** The SCIM endpoint's base URL (the identity provider's "tenant URL") and its token secret. */
  scimUrl: "ScimUrl",
  scimTokenSecretArn: "ScimTokenSecretArn",
  /** The managed policies to attach: operators running `lifecycle`, producers sending. */
  operatorPolicyArn: "OperatorPolicyArn",
  producerPolicyArn: "ProducerPolicyArn",
  /** Where outcomes are published, and the log group every outcome is written to. */
  outcomeBusName: "OutcomeBusName",
  outcomeLogGroupName: "OutcomeLogGroupName",
  /** Only with `lifecycle:outcomeWebhookUrl`: the secret holding the webhook's API key. */
  outcomeWebhookSecretArn: "OutcomeWebhookSecretArn",
} as const;
