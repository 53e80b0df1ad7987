import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { SOURCE_QUEUE } from "../shared/contract/source-queue.ts";
import { queueArn } from "../shared/operator/queues/queue-depth.ts";
import { createLedgerTable } from "../shared/runtime/ledger/create-ledger-table.ts";
import { createLifecycleQueues } from "./stand-ins/lifecycle-queues.ts";

export const LOCAL_LEDGER_TABLE = "lifecycle-ledger";
/** The deployed queue's visibility timeout is six times the consumer's timeout (AWS advice). */
const VISIBILITY_PER_TIMEOUT = 6;

export interface LocalQueues {
  queueUrl: string;
  dlqUrl: string;
  queueArn: string;
}

/** The FIFO source queue and its DLQ on fauxqs, the ledger table on dynalite, as deployed. */
export async function createQueuesAndLedger(
  clients: { sqs: SQSClient; dynamodb: DynamoDBClient },
  functionTimeoutMs: number,
): Promise<LocalQueues> {
  const queues = await createLifecycleQueues(clients.sqs, {
    visibilityTimeoutSeconds: Math.ceil(functionTimeoutMs / 1000) * VISIBILITY_PER_TIMEOUT,
    maxReceiveCount: SOURCE_QUEUE.maxReceiveCount,
  });
  await createLedgerTable(clients.dynamodb, LOCAL_LEDGER_TABLE);
  return { ...queues, queueArn: await queueArn(clients.sqs, queues.queueUrl) };
}
