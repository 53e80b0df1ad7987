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
  /** The managed policies to attach: operators running `lifecycle`, producers sending. */
  operatorPolicyArn: "OperatorPolicyArn",
  producerPolicyArn: "ProducerPolicyArn",
  /** The EventBridge bus the outcomes are published to, and the log group its rule writes them to. */
  outcomeBusName: "OutcomeBusName",
  outcomeLogGroupName: "OutcomeLogGroupName",
} as const;
