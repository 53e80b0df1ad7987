import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { BREAKER_KEY_PREFIX, LEDGER_PARTITION_KEY } from "../../contract/ledger-keys.ts";
import type { PlatformName } from "../errors/platform-errors.ts";
import { type BreakerState, CLOSED_BREAKER } from "./breaker-rules.ts";

export function breakerKey(platform: PlatformName): string {
  return `${BREAKER_KEY_PREFIX}${platform}`;
}

const NAMES = {
  "#phase": "phase",
  "#failures": "failures",
  "#openedAt": "openedAt",
  "#nextProbeAt": "nextProbeAt",
  "#closedAt": "closedAt",
  "#updatedAt": "updatedAt",
};

/**
 * A platform's breaker item in the ledger table (breaker-rules.ts says what each write means).
 * Every change is one single-item write, conditional where only one caller may win; a write
 * that lost its condition answers `false`, anything else throws.
 */
export class BreakerStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async read(platform: PlatformName, signal?: AbortSignal): Promise<BreakerState> {
    const output = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { [LEDGER_PARTITION_KEY]: { S: breakerKey(platform) } },
        ConsistentRead: true,
      }),
      { abortSignal: signal },
    );
    return output.Item ? stateOf(unmarshall(output.Item)) : CLOSED_BREAKER;
  }

  /** Rule 1: one more consecutive failure; the item as it is now. */
  async addFailure(platform: PlatformName, now: number): Promise<BreakerState> {
    const output = await this.#client.send(
      this.#command(platform, {
        update: "ADD #failures :one SET #updatedAt = :now",
        values: { ":one": 1, ":now": now },
        returnItem: true,
      }),
    );
    return output.Attributes ? stateOf(unmarshall(output.Attributes)) : CLOSED_BREAKER;
  }

  /** Rule 1: an answer; only a closed breaker that counted failures is written. */
  async clearFailures(platform: PlatformName, now: number): Promise<boolean> {
    return this.#conditional(platform, {
      update: "SET #failures = :zero, #updatedAt = :now",
      condition: "#failures > :zero AND #phase <> :open",
      values: { ":zero": 0, ":open": "open", ":now": now },
    });
  }

  /** Rule 2: `true` for the one caller that opened it. */
  async open(platform: PlatformName, now: number, nextProbeAt: number): Promise<boolean> {
    return this.#conditional(platform, {
      update: "SET #phase = :open, #openedAt = :now, #nextProbeAt = :next, #updatedAt = :now",
      condition: "attribute_not_exists(#phase) OR #phase <> :open",
      values: { ":open": "open", ":now": now, ":next": nextProbeAt },
    });
  }

  /** Rule 4: `true` for the one caller that may probe now. */
  async takeProbe(platform: PlatformName, now: number, nextProbeAt: number): Promise<boolean> {
    return this.#conditional(platform, {
      update: "SET #nextProbeAt = :next, #updatedAt = :now",
      condition: "#phase = :open AND #nextProbeAt <= :now",
      values: { ":open": "open", ":now": now, ":next": nextProbeAt },
    });
  }

  /** Rule 5: `true` for the one caller that closed it. */
  async close(platform: PlatformName, now: number): Promise<boolean> {
    return this.#conditional(platform, {
      update:
        "SET #phase = :closed, #failures = :zero, #closedAt = :now, #updatedAt = :now REMOVE #openedAt, #nextProbeAt",
      condition: "#phase = :open",
      values: { ":open": "open", ":closed": "closed", ":zero": 0, ":now": now },
    });
  }

  async #conditional(platform: PlatformName, write: Write): Promise<boolean> {
    try {
      await this.#client.send(this.#command(platform, write));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  #command(platform: PlatformName, write: Write): UpdateItemCommand {
    const expressions = `${write.update} ${write.condition ?? ""}`;
    return new UpdateItemCommand({
      TableName: this.#tableName,
      Key: { [LEDGER_PARTITION_KEY]: { S: breakerKey(platform) } },
      UpdateExpression: write.update,
      ...(write.condition ? { ConditionExpression: write.condition } : {}),
      ExpressionAttributeNames: Object.fromEntries(
        Object.entries(NAMES).filter(([placeholder]) => expressions.includes(placeholder)),
      ),
      ExpressionAttributeValues: marshall(write.values),
      ...(write.returnItem ? { ReturnValues: "ALL_NEW" } : {}),
    });
  }
}

interface Write {
  update: string;
  condition?: string;
  values: Record<string, string | number>;
  returnItem?: boolean;
}

function stateOf(item: Record<string, unknown>): BreakerState {
  const number = (value: unknown) => (typeof value === "number" ? value : undefined);
  return {
    phase: item.phase === "open" ? "open" : "closed",
    failures: number(item.failures) ?? 0,
    openedAt: number(item.openedAt),
    nextProbeAt: number(item.nextProbeAt),
    closedAt: number(item.closedAt),
    updatedAt: number(item.updatedAt),
  };
}
