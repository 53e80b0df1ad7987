import { fileURLToPath } from "node:url";
import { Annotations, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { OSIS_CREDENTIALS } from "../shared/contract/setting-names.ts";
import { readSettings } from "../shared/runtime/configuration/read-settings.ts";
import { onOff } from "../shared/runtime/configuration/setting-fields.ts";
import { AccessPolicies } from "./constructs/access-policies.ts";
import { AlarmTopic } from "./constructs/alarm-topic.ts";
import { ConsumerFunction, queueVisibilityTimeout } from "./constructs/consumer-function.ts";
import { EventQueues } from "./constructs/event-queues.ts";
import { LedgerTable } from "./constructs/ledger-table.ts";
import type { FunctionLogging, LifecycleFunction } from "./constructs/lifecycle-function.ts";
import { OperationsDashboard } from "./constructs/operations-dashboard.ts";
import { OutcomeBus } from "./constructs/outcome-bus.ts";
import { PlatformSecrets } from "./constructs/platform-secrets.ts";
import { addProductAlarms } from "./constructs/product-alarms.ts";
import { addSafetyRailAlarms, ReconcileFunction } from "./constructs/safety-rails.ts";
import { addSchedulerAlarm, SchedulerFunction } from "./constructs/scheduler-function.ts";
import { ScimFunction } from "./constructs/scim-function.ts";
import { addWebhookAlarms } from "./constructs/webhook-alarms.ts";
import { WebhookApi } from "./constructs/webhook-api.ts";
import { protectWebhook, type WebhookFirewall } from "./constructs/webhook-firewall.ts";
import { sharedBambooHrSettings } from "./function-tuning.ts";
import { addStackOutputs } from "./hr-lifecycle-sync-outputs.ts";
import type { StackConfiguration } from "./stack-configuration.ts";

/** The Lambda handler modules the stack bundles (each exports `handler`). */
export const DEFAULT_ENTRIES = {
  consumer: fileURLToPath(new URL("../functions/consumer/handler.ts", import.meta.url)),
  webhook: fileURLToPath(new URL("../functions/webhook/handler.ts", import.meta.url)),
  reconcile: fileURLToPath(new URL("../functions/reconcile/handler.ts", import.meta.url)),
  scheduler: fileURLToPath(new URL("../functions/scheduler/handler.ts", import.meta.url)),
  scim: fileURLToPath(new URL("../functions/scim/handler.ts", import.meta.url)),
} as const;

export interface HrLifecycleSyncStackProps extends StackProps {
  configuration: StackConfiguration;
  /** Handler modules to bundle; tests may point these at other files. */
  entries?: {
    consumer?: string;
    webhook?: string;
    reconcile?: string;
    scheduler?: string;
    scim?: string;
  };
}

/**
 * The whole product on AWS: queues, ledger, secrets, the consumer and the webhook, the outcome
 * bus, alarms and a dashboard. The outputs are a contract: the `lifecycle` CLI reads them (`--stack NAME`).
 */
export class HrLifecycleSyncStack extends Stack {
  readonly queues: EventQueues;
  readonly ledger: LedgerTable;
  readonly secrets: PlatformSecrets;
  readonly consumer: ConsumerFunction;
  readonly webhook: WebhookApi;
  readonly scim: ScimFunction;
  /** Absent with `lifecycle:webhookWaf=false`. */
  readonly webhookFirewall: WebhookFirewall | undefined;
  readonly reconcile: ReconcileFunction;
  readonly scheduler: SchedulerFunction;
  readonly outcomes: OutcomeBus;
  readonly alarmTopic: AlarmTopic;
  readonly dashboard: OperationsDashboard;
  readonly accessPolicies: AccessPolicies;

  constructor(scope: Construct, id: string, props: HrLifecycleSyncStackProps) {
    const { configuration: config, entries: entryOverrides, ...stackProps } = props;
    super(scope, id, {
      description: "HR lifecycle sync: HR events through an SQS FIFO queue to two platforms",
      ...stackProps,
    });
    const entries = { ...DEFAULT_ENTRIES, ...entryOverrides };
    const keep = config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logging: FunctionLogging = {
      level: config.logLevel,
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: keep,
    };
    const consumerTimeout = Duration.seconds(config.consumer.timeoutSeconds);

    this.queues = new EventQueues(this, "Queues", {
      visibilityTimeout: queueVisibilityTimeout(consumerTimeout),
    });
    this.ledger = new LedgerTable(this, "Ledger", {
      deletionProtection: config.deletionProtection,
    });
    this.secrets = new PlatformSecrets(this, "Secrets", {
      imported: config.importedSecretArns,
      removalPolicy: keep,
    });

    this.consumer = new ConsumerFunction(this, "Consumer", {
      entry: entries.consumer,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      ledger: this.ledger.table,
      accountPlatform: { ...config.accountPlatform, secret: this.secrets.accountPlatform },
      osis: { ...config.osis, secret: this.secrets.osis },
      protectedAccounts: config.protectedAccounts,
      bambooHr: {
        apiSecret: this.secrets.bambooHrApi,
        settings: sharedBambooHrSettings(config.webhook.tuning),
      },
      tuning: config.consumer.tuning,
      maxConcurrency: config.consumer.maxConcurrency,
      timeout: consumerTimeout,
      memorySize: config.consumer.memoryMb,
      logging,
    });
    this.scim = new ScimFunction(this, "Scim", {
      entry: entries.scim,
      queue: this.queues.queue,
      ledger: this.ledger.table,
      accountPlatform: { ...config.accountPlatform, secret: this.secrets.accountPlatform },
      osis: { ...config.osis, secret: this.secrets.osis },
      protectedAccounts: config.protectedAccounts,
      tokenSecret: this.secrets.scimToken,
      tuning: config.scim.tuning,
      logging,
    });
    this.webhook = new WebhookApi(this, "Webhook", {
      entry: entries.webhook,
      queue: this.queues.queue,
      webhookSecret: this.secrets.webhook,
      bambooHrSecret: this.secrets.bambooHr,
      bambooHrApiSecret: this.secrets.bambooHrApi,
      ledger: this.ledger.table,
      tuning: config.webhook.tuning,
      throttle: {
        stage: {
          ratePerSecond: config.webhook.throttleRatePerSecond,
          burst: config.webhook.throttleBurst,
        },
        routes: config.webhook.routeThrottles,
      },
      logging,
      scim: { function: this.scim.lambda.function, throttle: config.scim.throttle },
    });
    this.webhookFirewall = protectWebhook(this.webhook, config.webhook.waf);

    this.reconcile = new ReconcileFunction(this, "Reconcile", {
      entry: entries.reconcile,
      schedule: config.reconcile.schedule,
      queue: this.queues.queue,
      ledger: this.ledger.table,
      accountPlatform: { url: config.accountPlatform.url, secret: this.secrets.accountPlatform },
      osis: { url: config.osis.url, basePath: config.osis.basePath, secret: this.secrets.osis },
      osisCredentials: config.consumer.tuning[OSIS_CREDENTIALS],
      logging,
    });

    this.scheduler = new SchedulerFunction(this, "Scheduler", {
      entry: entries.scheduler,
      queue: this.queues.queue,
      ledger: this.ledger.table,
      logging,
    });

    this.outcomes = new OutcomeBus(this, "Outcomes", {
      ...config.outcomes,
      logRetention: logging.retention,
      removalPolicy: keep,
    });
    this.outcomes.addPublisher(this.consumer.lambda.function);
    this.outcomes.addPublisher(this.scheduler.lambda.function);

    this.alarmTopic = new AlarmTopic(this, "Alarms", { email: config.alarmEmail });
    addProductAlarms(this.alarmTopic, {
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      deadLetterRetention: EventQueues.RETENTION,
      consumer: this.consumer.lambda.function,
      webhookApi: this.webhook.api,
      queueAgeAlarm: Duration.minutes(config.queueAgeAlarmMinutes),
      consumerDryRun: readSettings(
        { DRY_RUN: onOff },
        config.consumer.tuning,
        "The consumer's tuning is not usable",
      ).DRY_RUN,
    });
    addSafetyRailAlarms(this.alarmTopic, this.reconcile, config.reconcile.maxPassHours);
    addSchedulerAlarm(this.alarmTopic);
    addWebhookAlarms(this.alarmTopic);
    this.outcomes.addAlarms(this.alarmTopic);
    // Alarms added later (with this.alarmTopic.add) belong above this line: the dashboard
    // shows every alarm the topic has when it is built.
    this.dashboard = new OperationsDashboard(this, "Operations", {
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      consumer: this.consumer.lambda.function,
      webhook: this.webhook.lambda.function,
      webhookApi: this.webhook.api,
      webhookBlocked: this.webhookFirewall?.blockedRequests,
      alarms: this.alarmTopic.alarms,
    });

    this.accessPolicies = new AccessPolicies(this, "Access", {
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      ledger: this.ledger.table,
      platformSecrets: [this.secrets.accountPlatform, this.secrets.osis],
      outcomeBus: this.outcomes.bus,
      outcomeLog: this.outcomes.logGroup,
    });

    addStackOutputs(this, config);

    if (config.exampleValuesInUse.length > 0) {
      Annotations.of(this).addWarningV2(
        "lifecycle:example-values",
        `Still at example values (fine for synth, not for a deployment): ${config.exampleValuesInUse.join(", ")}. See README.md#deploy.`,
      );
    }
  }

  /** The bundled functions by name, for the bundle-size report. */
  get bundledFunctions(): Record<string, LifecycleFunction> {
    return {
      consumer: this.consumer.lambda,
      webhook: this.webhook.lambda,
      reconcile: this.reconcile.lambda,
      scheduler: this.scheduler.lambda,
      scim: this.scim.lambda,
    };
  }
}
