import { type AwsEndpoints, createDynamoDbClient, createSqsClient } from "../aws/aws-clients.ts";
import { DynamoDbLedger } from "../ledger/dynamodb-ledger.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createEmfMetrics, type Metrics } from "../metrics/metrics.ts";
import type { KeptOutcomes } from "../outcomes/outbox-publication.ts";
import { createOutcomeBus } from "../outcomes/outcome-bus.ts";
import { OutcomeOutbox } from "../outcomes/outcome-outbox.ts";
import type { DueChangeRunDependencies } from "./enqueue-due-changes.ts";
import type { SchedulerConfig } from "./scheduler-config.ts";

export interface SchedulerDependencies extends DueChangeRunDependencies {
  /** The outbox of outcomes to publish, and the bus; undefined: publishing is off. */
  keptOutcomes: KeptOutcomes | undefined;
  /** Closes the AWS SDK clients made here (the local stack and tests call it on shutdown). */
  close(): void;
}

/** The deployed wiring and the local stack both build the scheduler here. */
export function createSchedulerDependencies(options: {
  config: SchedulerConfig;
  aws?: AwsEndpoints | undefined;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  now?: (() => number) | undefined;
}): SchedulerDependencies {
  const aws = options.aws ?? {};
  const clientOptions = { region: aws.region, credentials: aws.credentials };
  const sqs = createSqsClient({ ...clientOptions, endpoint: aws.sqsEndpoint });
  const dynamodb = createDynamoDbClient({ ...clientOptions, endpoint: aws.dynamodbEndpoint });
  const { outcomes, ledgerTable } = options.config;
  const bus =
    outcomes && createOutcomeBus(outcomes, { ...clientOptions, endpoint: aws.eventBridgeEndpoint });
  return {
    ledger: new DynamoDbLedger({ client: dynamodb, tableName: options.config.ledgerTable }),
    sqs,
    queueUrl: options.config.queueUrl,
    logger: options.logger ?? createLogger({ service: "scheduler" }),
    metrics: options.metrics ?? createEmfMetrics({ service: "scheduler" }),
    now: options.now,
    keptOutcomes: bus && {
      bus,
      outbox: new OutcomeOutbox({ client: dynamodb, tableName: ledgerTable, now: options.now }),
    },
    close: () => {
      sqs.destroy();
      dynamodb.destroy();
      bus?.client.destroy();
    },
  };
}
