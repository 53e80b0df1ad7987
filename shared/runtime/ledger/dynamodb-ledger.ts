import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  LEDGER_PARTITION_KEY,
  PERSON_KEY_PREFIX,
  type ScheduleState,
} from "../../contract/ledger-keys.ts";
import { ClaimLostError } from "../errors/claim-lost-error.ts";
import { accountUserKey } from "./account-user-item.ts";
import { type ChangeItem, changeKey } from "./change-item.ts";
import { queryDueIndex } from "./due-index-query.ts";
import {
  changeItem,
  changeOf,
  type DueChange,
  dueChangeOf,
  personItem,
  personOf,
} from "./dynamodb-items.ts";
import { ledgerCall } from "./ledger-availability.ts";
import { readLedgerItem } from "./ledger-item-read.ts";
import { fromLegacySlots } from "./legacy-schedule.ts";
import type { ClaimRequest, ClaimResult, PersonLedger } from "./person-ledger.ts";
import {
  type PeoplePage,
  type PeoplePages,
  type PersonRecord,
  personKey,
} from "./person-record.ts";

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
 * is the PersonRecord), and one per pending change (change-item.ts). Reads are strongly consistent; every write is a single-item conditional
 * write on the claim.
 */
export class DynamoDbLedger implements PersonLedger, PeoplePages {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #pageSize: number;

  constructor(options: DynamoDbLedgerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#pageSize = options.pageSize ?? 100;
  }

  async getPerson(subject: string): Promise<PersonRecord | undefined> {
    const item = await readLedgerItem(this.#client, this.#tableName, personKey(subject));
    return item ? fromLegacySlots(personOf(item)).record : undefined;
  }

  /**
   * One Scan page of people after the key `after` (a page may hold fewer people than `limit`:
   * DynamoDB counts the other items it read); `next` is the key to continue after, absent at
   * the end of the table. Reconciliation keeps it as its cursor between runs.
   */
  async listPeoplePage(
    after: string | undefined,
    limit: number = this.#pageSize,
    signal?: AbortSignal,
  ): Promise<PeoplePage> {
    const output = await ledgerCall("Scan", () =>
      this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          FilterExpression: "begins_with(#pk, :prefix)",
          ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY },
          ExpressionAttributeValues: { ":prefix": { S: PERSON_KEY_PREFIX } },
          Limit: limit,
          ...(after === undefined
            ? {}
            : { ExclusiveStartKey: { [LEDGER_PARTITION_KEY]: { S: after } } }),
        }),
        { abortSignal: signal },
      ),
    );
    const next = output.LastEvaluatedKey?.[LEDGER_PARTITION_KEY]?.S;
    return {
      people: (output.Items ?? []).map(
        (item) => fromLegacySlots(personOf(unmarshall(item))).record,
      ),
      ...(next === undefined ? {} : { next }),
    };
  }

  async *listPeople(): AsyncIterable<PersonRecord> {
    let after: string | undefined;
    do {
      const page = await this.listPeoplePage(after);
      yield* page.people;
      after = page.next;
    } while (after !== undefined);
  }

  /**
   * Pending changes in `state` taking effect no later than `dueBefore`, soonest first: a Query
   * of the sparse due-changes index (eventually consistent; read the person before acting).
   */
  async *scheduledChanges(options: {
    state: ScheduleState;
    dueBefore: number;
  }): AsyncIterable<DueChange> {
    const items = queryDueIndex({
      client: this.#client,
      tableName: this.#tableName,
      state: options.state,
      dueBefore: options.dueBefore,
      pageSize: this.#pageSize,
    });
    for await (const item of items) {
      const due = dueChangeOf(item);
      if (due !== undefined) yield due;
    }
  }

  /** Writes a pending change's item (`waiting` in the due-changes index) before the person lists it. */
  async putChange(change: ChangeItem): Promise<void> {
    await ledgerCall("PutItem", () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: marshall(changeItem(change), { removeUndefinedValues: true }),
        }),
      ),
    );
  }

  /** The change item under `key` (as `scheduledChanges` names it). */
  async getChange(key: string): Promise<ChangeItem | undefined> {
    const item = await readLedgerItem(this.#client, this.#tableName, key);
    return item ? changeOf(item) : undefined;
  }

  /** Removes a change item the person no longer lists (applied, cancelled, or an orphan). */
  async deleteChange(subject: string, eventKey: string): Promise<void> {
    await ledgerCall("DeleteItem", () =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: changeKey(subject, eventKey) } },
        }),
      ),
    );
  }

  /** Only if absent: the first subject that resolved the user keeps it (account-user-item.ts). */
  async rememberAccountUser(accountUserId: string, subject: string): Promise<void> {
    try {
      await ledgerCall("PutItem", () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#tableName,
            Item: marshall({ [LEDGER_PARTITION_KEY]: accountUserKey(accountUserId), subject }),
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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
      const { record, change } = fromLegacySlots(personOf(unmarshall(output.Attributes)));
      // Under the claim: the change's own item first, then the person's next write lists it.
      if (change !== undefined) await this.putChange(change);
      return { claimed: true, record };
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
            Item: marshall(personItem(record), { removeUndefinedValues: true }),
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
