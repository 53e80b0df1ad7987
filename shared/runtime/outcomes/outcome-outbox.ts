import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { LifecycleChangeOutcome } from "../../../schemas/lifecycle-change-outcome.ts";
import {
  DUE_CHANGES_INDEX,
  LEDGER_PARTITION_KEY,
  OUTBOX_KEY_PREFIX,
  OUTBOX_SCHEDULE_STATE,
} from "../../contract/ledger-keys.ts";
import { queryDueIndex } from "../ledger/due-index-query.ts";
import { ledgerCall } from "../ledger/ledger-availability.ts";
import { readLedgerItem } from "../ledger/ledger-item-read.ts";

/**
 * The outbox in the ledger table: one `OUTBOX#<outcomeId>` item per outcome EventBridge did
 * not take, holding its detail, in the due-changes index under the partition value `outbox`
 * and due when it was kept, so the scheduler's next run finds every one with a Query (the
 * index holds keys only: each item is then read). Written under the outcome's id, a second
 * keep of the same outcome overwrites the first: it is published once more at most.
 */
export class OutcomeOutbox {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: { client: DynamoDBClient; tableName: string; now?: () => number }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  async keep(outcome: LifecycleChangeOutcome): Promise<void> {
    await ledgerCall("PutItem", () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: {
            [LEDGER_PARTITION_KEY]: { S: outboxKey(outcome.outcomeId) },
            [DUE_CHANGES_INDEX.partitionKey]: { S: OUTBOX_SCHEDULE_STATE },
            [DUE_CHANGES_INDEX.sortKey]: { N: String(this.#now()) },
            outcome: { S: JSON.stringify(outcome) },
          },
        }),
      ),
    );
  }

  /** The keys of every kept outcome, oldest first, a page at a time. */
  async *keys(): AsyncIterable<string> {
    const kept = queryDueIndex({
      client: this.#client,
      tableName: this.#tableName,
      state: OUTBOX_SCHEDULE_STATE,
      dueBefore: this.#now(),
    });
    for await (const item of kept) {
      const key = item[LEDGER_PARTITION_KEY];
      if (typeof key === "string" && key.startsWith(OUTBOX_KEY_PREFIX)) yield key;
    }
  }

  /** The kept outcome under `key`; undefined once published (the index lags its table). */
  async get(key: string): Promise<LifecycleChangeOutcome | undefined> {
    const body = (await readLedgerItem(this.#client, this.#tableName, key))?.outcome;
    return typeof body === "string" ? (JSON.parse(body) as LifecycleChangeOutcome) : undefined;
  }

  async remove(outcomeId: string): Promise<void> {
    await ledgerCall("DeleteItem", () =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: outboxKey(outcomeId) } },
        }),
      ),
    );
  }
}

export function outboxKey(outcomeId: string): string {
  return `${OUTBOX_KEY_PREFIX}${outcomeId}`;
}
