import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { LEDGER_PARTITION_KEY, RECONCILE_PASS_KEY } from "../../contract/ledger-keys.ts";
import type { CurrentPass, FinishedPass, PassState } from "./reconcile-pass.ts";

/** `#` cannot occur in a subject, so no person item (`PERSON#<subject>`) can collide. */

/** The pass state, and which run holds the pass now (until when, epoch ms). */
export interface StoredPass extends PassState {
  runningUntil?: number | undefined;
}

const NAMES = {
  "#current": "current",
  "#last": "last",
  "#runId": "runId",
  "#runningUntil": "runningUntil",
};

/**
 * The reconciliation pass in the ledger table: one item, `RECONCILE#pass`, holding the pass
 * under way (its cursor and counts) and the last finished one. One run at a time works on it:
 * a run takes a lease that ends with its invocation's deadline, and every write is conditional
 * on holding it, so an overlapping run (a retry, a slow start) neither walks the same pages
 * nor overwrites the counts.
 */
export class ReconcilePassStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async read(signal?: AbortSignal): Promise<StoredPass> {
    const output = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { [LEDGER_PARTITION_KEY]: { S: RECONCILE_PASS_KEY } },
        ConsistentRead: true,
      }),
      { abortSignal: signal },
    );
    if (!output.Item) return {};
    const item = unmarshall(output.Item);
    return {
      current: item.current as CurrentPass | undefined,
      last: item.last as FinishedPass | undefined,
      runningUntil: typeof item.runningUntil === "number" ? item.runningUntil : undefined,
    };
  }

  /** `true` for the one run that may work on the pass until `until`. */
  takeLease(runId: string, now: number, until: number): Promise<boolean> {
    return this.#conditional({
      update: "SET #runId = :runId, #runningUntil = :until",
      condition: "attribute_not_exists(#runningUntil) OR #runningUntil <= :now",
      values: { ":runId": runId, ":until": until, ":now": now },
    });
  }

  /** Records the pass (the current one absent once finished); `false` if the lease was lost. */
  save(runId: string, state: PassState): Promise<boolean> {
    const sets = ["#runId = :runId"];
    const values: Record<string, unknown> = { ":runId": runId };
    if (state.current !== undefined) {
      sets.push("#current = :current");
      values[":current"] = state.current;
    }
    if (state.last !== undefined) {
      sets.push("#last = :last");
      values[":last"] = state.last;
    }
    const remove = state.current === undefined ? " REMOVE #current" : "";
    return this.#conditional({
      update: `SET ${sets.join(", ")}${remove}`,
      condition: "#runId = :runId",
      values,
    });
  }

  /** Ends the run's lease, so the next run need not wait for its deadline. */
  release(runId: string): Promise<boolean> {
    return this.#conditional({
      update: "REMOVE #runningUntil",
      condition: "#runId = :runId",
      values: { ":runId": runId },
    });
  }

  async #conditional(write: {
    update: string;
    condition: string;
    values: Record<string, unknown>;
  }): Promise<boolean> {
    const expressions = `${write.update} ${write.condition}`;
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: RECONCILE_PASS_KEY } },
          UpdateExpression: write.update,
          ConditionExpression: write.condition,
          ExpressionAttributeNames: Object.fromEntries(
            Object.entries(NAMES).filter(([name]) => expressions.includes(name)),
          ),
          ExpressionAttributeValues: marshall(write.values, { removeUndefinedValues: true }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
