import type { LocalStack } from "./running-local-stack.ts";
import { DEMO_PEOPLE } from "./simulators/demo-users.ts";

/**
 * The one banner `npm start` prints: every endpoint, the webhook signing secret of this run
 * (the only place the local stack ever prints a secret), and three commands to try.
 */
export interface BannerOptions {
  /** How the user runs the CLI: "npm run lifecycle --" in a checkout, "lifecycle" installed. */
  cliCommand: string;
  dataDir?: string | undefined;
}

export function renderBanner(stack: LocalStack, options: BannerOptions): string {
  const { accountPlatform, osis } = stack.platforms;
  const queueName = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  const rows: [string, string, string][] = [
    [
      "SQS (fauxqs)",
      stack.endpoints.sqs,
      `queue ${queueName(stack.queueUrl)}, DLQ ${queueName(stack.dlqUrl)} (in memory)`,
    ],
    [
      "DynamoDB (dynalite)",
      stack.endpoints.dynamodb,
      `ledger table ${stack.ledgerTable} (${options.dataDir ? `kept in ${options.dataDir}` : "in memory"})`,
    ],
    ["Webhook", stack.endpoints.webhook, "POST /events (Standard Webhooks), POST /bamboohr"],
    ["SCIM 2.0", stack.endpoints.scim, "Users for Okta and Microsoft Entra (bearer token below)"],
    [
      "Account platform",
      accountPlatform.url,
      accountPlatform.simulated
        ? `simulator, tenant ${accountPlatform.tenantId}`
        : `REAL platform, tenant ${accountPlatform.tenantId}`,
    ],
    [
      "OSIS",
      `${osis.url}${osis.basePath}`,
      osis.simulated
        ? `simulator, cd tenant ${osis.cdTenantId}`
        : `REAL platform, cd tenant ${osis.cdTenantId}`,
    ],
    [
      "BambooHR API",
      stack.bamboohr.url,
      stack.bamboohr.simulated
        ? `simulator: the demo people as employees ${DEMO_PEOPLE.map((demo) => demo.employeeId).join(", ")}`
        : `REAL BambooHR, company ${stack.bamboohr.companyDomain}`,
    ],
    ...(stack.outcomeBus
      ? [
          [
            "EventBridge",
            stack.outcomeBus.server.endpoint,
            `PutEvents, bus ${stack.outcomeBus.wiring.OUTCOME_BUS_NAME}: outcomes in ${stack.outcomeBus.file ?? "memory"} (lifecycle outcomes)`,
          ] satisfies [string, string, string],
        ]
      : []),
    [
      "Consumer",
      `${stack.poller?.concurrency ?? 0} pollers`,
      `batches of up to 10, ${stack.config.maxAttempts} attempts, backoff ${stack.config.backoff.baseSeconds}-${stack.config.backoff.capSeconds} s${stack.config.dryRun ? ", DRY RUN" : ""}`,
    ],
  ];
  const width = (index: 0 | 1) => Math.max(...rows.map((row) => row[index].length));
  const table = rows.map(
    ([name, where, what]) => `  ${name.padEnd(width(0))}  ${where.padEnd(width(1))}  ${what}`,
  );

  const person = DEMO_PEOPLE[0];
  const cli = options.cliCommand;
  const send =
    person && (accountPlatform.simulated || osis.simulated)
      ? `${cli} send --type offboarded --subject ${person.employeeId}${accountPlatform.simulated ? ` --account-login ${person.login}` : ""}${osis.simulated ? ` --osis-cd-user-id ${person.login}` : ""}`
      : `${cli} send --type offboarded --subject <employee id> --account-login <login> --osis-cd-user-id <cd user id>`;
  const look =
    person && accountPlatform.simulated
      ? `curl -s ${accountPlatform.url}/__simulator/users/${person.accountUserId}`
      : `${cli} status ${person && osis.simulated ? person.employeeId : "<employee id>"}`;

  return [
    "",
    "HR lifecycle sync, local stack: the deployed handlers on embedded stand-ins (127.0.0.1 only)",
    "",
    ...table,
    "",
    `  Webhook signing secret (local use only): ${stack.webhookSecret}`,
    `  SCIM bearer token (local use only):      ${stack.scimToken}`,
    ...(stack.stackFilePath
      ? [`  The lifecycle command finds this stack through ${stack.stackFilePath}.`]
      : []),
    "",
    "Try:",
    `  ${send}`,
    `  ${look}`,
    `  ${cli} dlq list`,
    "",
    "Ctrl-C stops (a second Ctrl-C quits at once). Demo people and settings: docs/local.md",
    "",
  ].join("\n");
}
