import { randomUUID } from "node:crypto";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { DUE_CHANGES_INDEX } from "../../../../shared/contract/ledger-keys.ts";
import { queryDueIndex } from "../../../../shared/runtime/ledger/due-index-query.ts";
import { type ConsumerEnvironment, LEDGER_TABLE } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";

let environment: ConsumerEnvironment;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});

describe("queryDueIndex", () => {
  it("reads every page: the items of its partition value due by then, soonest first", async () => {
    await scenario();
    const state = `test-${randomUUID()}`;
    for (const dueAt of [50, 10, 40, 20, 30, 99]) {
      await environment.dynamodb.send(
        new PutItemCommand({
          TableName: LEDGER_TABLE,
          Item: marshall({
            pk: `TEST#${state}#${dueAt}`,
            [DUE_CHANGES_INDEX.partitionKey]: state,
            [DUE_CHANGES_INDEX.sortKey]: dueAt,
          }),
        }),
      );
    }

    const due: unknown[] = [];
    const query = queryDueIndex({
      client: environment.dynamodb,
      tableName: LEDGER_TABLE,
      state,
      dueBefore: 50,
      pageSize: 2,
    });
    for await (const item of query) due.push(item[DUE_CHANGES_INDEX.sortKey]);

    expect(due).toEqual([10, 20, 30, 40, 50]);
  });
});
