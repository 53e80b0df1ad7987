import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { LEDGER_PARTITION_KEY } from "../../contract/ledger-keys.ts";
import { ledgerCall } from "./ledger-availability.ts";

/**
 * One ledger item by its key, read consistently (a write just made is seen), as a plain
 * object; undefined when there is none. An unavailable ledger is LedgerUnavailableError.
 */
export async function readLedgerItem(
  client: DynamoDBClient,
  tableName: string,
  key: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const output = await ledgerCall("GetItem", () =>
    client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { [LEDGER_PARTITION_KEY]: { S: key } },
        ConsistentRead: true,
      }),
      { abortSignal: signal },
    ),
  );
  return output.Item === undefined ? undefined : unmarshall(output.Item);
}
