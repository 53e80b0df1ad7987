import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { type DynamoDbServer, startDynamoDbServer } from "../../local/stand-ins/dynamodb-server.ts";
import {
  createDynamoDbClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../shared/runtime/aws/aws-clients.ts";
import { createLedgerTable } from "../../shared/runtime/ledger/create-ledger-table.ts";

/**
 * The DynamoDB stand-in for the tests of one file, started before them and stopped after.
 * `freshTable` makes a new ledger table, so that no test sees another's items.
 */
export function useLedgerTables(): {
  client(): DynamoDBClient;
  freshTable(prefix: string): Promise<string>;
} {
  let server: DynamoDbServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = await startDynamoDbServer();
    client = createDynamoDbClient({
      endpoint: server.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });
  return {
    client: () => client,
    async freshTable(prefix) {
      const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
      await createLedgerTable(client, tableName);
      return tableName;
    },
  };
}
