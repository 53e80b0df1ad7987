import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { DUE_CHANGES_INDEX } from "../../contract/ledger-keys.ts";
import { ledgerCall } from "./ledger-availability.ts";

/**
 * The items of the sparse due-changes index under one partition value (`waiting`, `enqueued`,
 * the outbox's) due no later than `dueBefore`, soonest first, a page at a time, as plain
 * objects. Eventually consistent: read an item before acting on it. An unavailable ledger is
 * LedgerUnavailableError.
 */
export async function* queryDueIndex(options: {
  client: DynamoDBClient;
  tableName: string;
  state: string;
  dueBefore: number;
  pageSize?: number | undefined;
}): AsyncIterable<Record<string, unknown>> {
  let startKey: QueryCommand["input"]["ExclusiveStartKey"];
  do {
    const output = await ledgerCall("Query", () =>
      options.client.send(
        new QueryCommand({
          TableName: options.tableName,
          IndexName: DUE_CHANGES_INDEX.name,
          KeyConditionExpression: "#state = :state AND #dueAt <= :dueBefore",
          ExpressionAttributeNames: {
            "#state": DUE_CHANGES_INDEX.partitionKey,
            "#dueAt": DUE_CHANGES_INDEX.sortKey,
          },
          ExpressionAttributeValues: {
            ":state": { S: options.state },
            ":dueBefore": { N: String(options.dueBefore) },
          },
          ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of output.Items ?? []) yield unmarshall(item);
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
}
