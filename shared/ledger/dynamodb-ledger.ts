import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ledgerCall } from "./ledger-availability.ts";
import { DUE_CHANGES_INDEX, LEDGER_PARTITION_KEY, type ScheduleState } from "./ledger-table.ts";
import type { ClaimRequest, ClaimResult, PersonLedger } from "./person-ledger.ts";
import { ClaimLostError } from "./person-ledger.ts";
import { PERSON_KEY_PREFIX, type PersonRecord, personKey } from "./person-record.ts";

export interface DynamoDbLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Items per Scan page of `listPeople`. */
  pageSize?: number;
}

const NAMES = {
  "#pk": LEDGER_PARTITION_KEY,
  "#claim": "claim",
  "#owner": "owner",
  "#expiresAt": "expiresAt",
} as const;

/**
 * The ledger in DynamoDB: one item per person (`pk` = `PERSON#<subject>`, the rest of the item
 * is the PersonRecord). Reads are strongly consistent; every write is a single-item conditional
 * write on the claim.
 */
export class DynamoDbLedger implements PersonLedger {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #pageSize: number;

  constructor(options: DynamoDbLedgerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#pageSize = options.pageSize ?? 100;
  }

  async getPerson(subject: string): Promise<PersonRecord | undefined> {
    const output = await ledgerCall("GetItem", () =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: personKey(subject) } },
          ConsistentRead: true,
        }),
      ),
    );
    return output.Item ? fromItem(unmarshall(output.Item)) : undefined;
  }

  async *listPeople(): AsyncIterable<PersonRecord> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await ledgerCall("Scan", () =>
        this.#client.send(
          new ScanCommand({
            TableName: this.#tableName,
            FilterExpression: "begins_with(#pk, :prefix)",
            ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY },
            ExpressionAttributeValues: { ":prefix": { S: PERSON_KEY_PREFIX } },
            Limit: this.#pageSize,
            ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
          }),
        ),
      );
      for (const item of output.Items ?? []) yield fromItem(unmarshall(item));
      startKey = output.LastEvaluatedKey ? unmarshall(output.LastEvaluatedKey) : undefined;
    } while (startKey !== undefined);
  }

  /**
   * People with a scheduled change in `state` taking effect no later than `dueBefore`, soonest
   * first: a Query of the sparse due-changes index (eventually consistent; read the person
   * before acting).
   */
  async *scheduledChanges(options: {
    state: ScheduleState;
    dueBefore: number;
  }): AsyncIterable<{ subject: string; dueAt: number }> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await ledgerCall("Query", () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: DUE_CHANGES_INDEX.name,
            KeyConditionExpression: "#state = :state AND #dueAt <= :dueBefore",
            ExpressionAttributeNames: {
              "#state": DUE_CHANGES_INDEX.partitionKey,
              "#dueAt": DUE_CHANGES_INDEX.sortKey,
            },
            ExpressionAttributeValues: marshall({
              ":state": options.state,
              ":dueBefore": options.dueBefore,
            }),
            Limit: this.#pageSize,
            ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const keys = unmarshall(item);
        yield {
          subject: String(keys[LEDGER_PARTITION_KEY]).slice(PERSON_KEY_PREFIX.length),
          dueAt: Number(keys[DUE_CHANGES_INDEX.sortKey]),
        };
      }
      startKey = output.LastEvaluatedKey ? unmarshall(output.LastEvaluatedKey) : undefined;
    } while (startKey !== undefined);
  }

  async claim(subject: string, request: ClaimRequest): Promise<ClaimResult> {
    try {
      const output = await ledgerCall("UpdateItem", () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: personKey(subject) } },
            UpdateExpression:
              "SET #claim = :claim, #subject = if_not_exists(#subject, :subject), #history = if_not_exists(#history, :empty), #updatedAt = if_not_exists(#updatedAt, :now)",
            ConditionExpression: "attribute_not_exists(#claim) OR #claim.#expiresAt <= :now",
            ExpressionAttributeNames: {
              "#claim": NAMES["#claim"],
              "#expiresAt": NAMES["#expiresAt"],
              "#subject": "subject",
              "#history": "history",
              "#updatedAt": "updatedAt",
            },
            ExpressionAttributeValues: marshall({
              ":claim": { owner: request.owner, expiresAt: request.expiresAt },
              ":subject": subject,
              ":empty": [],
              ":now": request.now,
            }),
            ReturnValues: "ALL_NEW",
          }),
        ),
      );
      if (!output.Attributes) throw new Error("the ledger returned no item after a claim");
      return { claimed: true, record: fromItem(unmarshall(output.Attributes)) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.getPerson(subject);
      return { claimed: false, expiresAt: holder?.claim?.expiresAt };
    }
  }

  save(record: PersonRecord, owner: string): Promise<PersonRecord> {
    return this.#putOwned(record, owner);
  }

  release(record: PersonRecord, owner: string): Promise<PersonRecord> {
    const { claim: _released, ...rest } = record;
    return this.#putOwned(rest, owner);
  }

  async #putOwned(record: PersonRecord, owner: string): Promise<PersonRecord> {
    try {
      await ledgerCall("PutItem", () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#tableName,
            Item: marshall(toItem(record), { removeUndefinedValues: true }),
            ConditionExpression: "#claim.#owner = :owner",
            ExpressionAttributeNames: { "#claim": NAMES["#claim"], "#owner": NAMES["#owner"] },
            ExpressionAttributeValues: { ":owner": { S: owner } },
          }),
        ),
      );
      return record;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ClaimLostError(record.subject);
      throw error;
    }
  }
}

/** The record, its key, and the due-changes index's attributes while a change is scheduled. */
function toItem(record: PersonRecord): Record<string, unknown> {
  const scheduled = record.scheduled;
  const state: ScheduleState = scheduled?.enqueuedAt === undefined ? "waiting" : "enqueued";
  return {
    ...record,
    [LEDGER_PARTITION_KEY]: personKey(record.subject),
    ...(scheduled
      ? {
          [DUE_CHANGES_INDEX.partitionKey]: state,
          [DUE_CHANGES_INDEX.sortKey]: scheduled.effectiveAt,
        }
      : {}),
  };
}

function fromItem(item: Record<string, unknown>): PersonRecord {
  const {
    [LEDGER_PARTITION_KEY]: _key,
    [DUE_CHANGES_INDEX.partitionKey]: _state,
    [DUE_CHANGES_INDEX.sortKey]: _dueAt,
    ...rest
  } = item;
  const record = rest as unknown as PersonRecord;
  return { ...record, history: record.history ?? [] };
}
