import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import {
  LEDGER_PARTITION_KEY,
  SCIM_DEPROVISIONED_KEY,
  SCIM_EXTERNAL_ID_KEY_PREFIX,
  SCIM_LINK_KEY_PREFIX,
} from "../../contract/ledger-keys.ts";
import { accountUserKey } from "../ledger/account-user-item.ts";
import { ledgerCall } from "../ledger/ledger-availability.ts";
import { readLedgerItem } from "../ledger/ledger-item-read.ts";
import type { ScimLink } from "./scim-link.ts";

/**
 * The SCIM function's ledger items (shared/contract/ledger-keys.ts): a link per user, the user
 * each externalId names, and the set of users deleted over SCIM (one item, so a listing
 * leaves them out with one read: 400 KB holds about ten thousand ids). Reads are strongly
 * consistent, so a read right after a write sees it.
 */
export class ScimLinkStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async getLink(accountUserId: string): Promise<ScimLink | undefined> {
    const item = await this.#get(`${SCIM_LINK_KEY_PREFIX}${accountUserId}`);
    return item === undefined ? undefined : linkOf(item);
  }

  /**
   * Writes the link. With `unlessLinked`, only when the user is not linked now (a POST);
   * `false` when it is, and nothing was written.
   */
  async putLink(link: ScimLink, options: { unlessLinked?: boolean } = {}): Promise<boolean> {
    try {
      await ledgerCall("PutItem", () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#tableName,
            Item: marshall(
              { ...link, [LEDGER_PARTITION_KEY]: `${SCIM_LINK_KEY_PREFIX}${link.accountUserId}` },
              { removeUndefinedValues: true },
            ),
            ...(options.unlessLinked
              ? {
                  ConditionExpression: "attribute_not_exists(linkedAt) OR deprovisioned = :yes",
                  ExpressionAttributeValues: { ":yes": { BOOL: true } },
                }
              : {}),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (options.unlessLinked && error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The user whose link last took this externalId (the link says whether it still holds it). */
  async userWithExternalId(externalId: string): Promise<string | undefined> {
    const item = await this.#get(`${SCIM_EXTERNAL_ID_KEY_PREFIX}${externalId}`);
    return typeof item?.accountUserId === "string" ? item.accountUserId : undefined;
  }

  async putExternalId(externalId: string, accountUserId: string): Promise<void> {
    await ledgerCall("PutItem", () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: marshall({
            [LEDGER_PARTITION_KEY]: `${SCIM_EXTERNAL_ID_KEY_PREFIX}${externalId}`,
            accountUserId,
          }),
        }),
      ),
    );
  }

  async deprovisionedUsers(): Promise<ReadonlySet<string>> {
    const item = await this.#get(SCIM_DEPROVISIONED_KEY);
    const ids = item?.accountUserIds;
    return ids instanceof Set ? (ids as Set<string>) : new Set();
  }

  /** Adds the user to the deprovisioned set, or takes it out. */
  async markDeprovisioned(accountUserId: string, deprovisioned: boolean): Promise<void> {
    await ledgerCall("UpdateItem", () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: SCIM_DEPROVISIONED_KEY } },
          UpdateExpression: `${deprovisioned ? "ADD" : "DELETE"} accountUserIds :id`,
          ExpressionAttributeValues: { ":id": { SS: [accountUserId] } },
        }),
      ),
    );
  }

  /** The subject the consumer recorded for this account user (account-user-item.ts). */
  async rememberedSubject(accountUserId: string): Promise<string | undefined> {
    const item = await this.#get(accountUserKey(accountUserId));
    return typeof item?.subject === "string" ? item.subject : undefined;
  }

  async #get(key: string): Promise<Record<string, unknown> | undefined> {
    return readLedgerItem(this.#client, this.#tableName, key);
  }
}

function linkOf(item: Record<string, unknown>): ScimLink {
  const { [LEDGER_PARTITION_KEY]: _key, ...link } = item;
  return link as unknown as ScimLink;
}
