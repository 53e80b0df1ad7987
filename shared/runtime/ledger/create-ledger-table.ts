import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { DUE_CHANGES_INDEX, LEDGER_PARTITION_KEY } from "../../contract/ledger-keys.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";

/** Creates the ledger table for the local stack and tests (infra creates it on AWS). */
export async function createLedgerTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: LEDGER_PARTITION_KEY, AttributeType: "S" },
          { AttributeName: DUE_CHANGES_INDEX.partitionKey, AttributeType: "S" },
          { AttributeName: DUE_CHANGES_INDEX.sortKey, AttributeType: "N" },
        ],
        KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          {
            IndexName: DUE_CHANGES_INDEX.name,
            KeySchema: [
              { AttributeName: DUE_CHANGES_INDEX.partitionKey, KeyType: "HASH" },
              { AttributeName: DUE_CHANGES_INDEX.sortKey, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  // The stand-in cannot add an index to an existing table: a ledger kept with `--data` from
  // before scheduled changes existed has to be started afresh.
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === DUE_CHANGES_INDEX.name)) {
    throw new ConfigurationError(`The ledger table ${tableName} is not usable`, [
      `it has no ${DUE_CHANGES_INDEX.name} index (it was created before scheduled changes existed): start with a new --data directory`,
    ]);
  }
}
