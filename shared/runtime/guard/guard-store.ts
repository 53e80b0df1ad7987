import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { GUARD_STATE_KEY, LEDGER_PARTITION_KEY } from "../../contract/ledger-keys.ts";
import { ledgerCall } from "../ledger/ledger-availability.ts";
import { readLedgerItem } from "../ledger/ledger-item-read.ts";
import { type GuardDirection, guardBucketKey, guardStateKey } from "./guard-keys.ts";
import type { GuardSettings } from "./guard-settings.ts";

/**
 * The guard's two kinds of item in the ledger table, each changed by single-item conditional
 * writes only (the local stand-in has no transactions):
 * - `GUARD#offboards#<window start>`: the set of offboards counted in one fixed window. A slot
 *   is reserved with ONE conditional update (the set holds fewer than `threshold` events, or
 *   already holds this one), so concurrent invocations share the count and never overshoot.
 * - `GUARD#state`: tripped or not. Tripping is a conditional write too, so exactly one
 *   invocation learns it tripped the guard and reports it.
 * Onboards that would enable someone are counted and tripped the same way in items of their
 * own (`GUARD#onboards#<window start>`, `GUARD#state#onboards`): each direction is passed as
 * `direction` (default: offboards).
 */
export interface GuardState {
  tripped: boolean;
  /** When it tripped, epoch ms. */
  trippedAt?: number;
  /** The window it tripped in, its count and the settings then. */
  trippedBucketStart?: number;
  trippedCount?: number;
  threshold?: number;
  windowSeconds?: number;
  /** The last release, epoch ms, and who did it. */
  releasedAt?: number;
  releasedBy?: string;
  /** The settings the consumer runs with, as it recorded them at its last cold start. */
  consumerSettings?: RecordedGuardSettings;
}

export interface RecordedGuardSettings extends GuardSettings {
  /** When the consumer recorded them, epoch ms. */
  recordedAt: number;
}

export interface GuardBucket {
  bucketStart: number;
  /** Offboards counted in the window. */
  count: number;
  /** Their slots (guard-keys.ts): whether an event is already counted. */
  slots: ReadonlySet<string>;
  /** The consumer's settings as of its last reservation in this window. */
  threshold?: number;
  windowSeconds?: number;
}

export type Reservation = { reserved: true; count: number } | { reserved: false };

/** The ledger's TTL attribute (epoch seconds): old windows' items expire on AWS by themselves. */
const TTL_ATTRIBUTE = "expiresAt";

export class GuardStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async readState(signal?: AbortSignal, direction?: GuardDirection): Promise<GuardState> {
    const item = await this.#get(guardStateKey(direction), signal);
    if (item === undefined) return { tripped: false };
    const { [LEDGER_PARTITION_KEY]: _key, ...state } = item;
    return { ...(state as Partial<GuardState>), tripped: state.tripped === true };
  }

  async readBucket(
    bucketStart: number,
    signal?: AbortSignal,
    direction?: GuardDirection,
  ): Promise<GuardBucket> {
    const item = await this.#get(guardBucketKey(bucketStart, direction), signal);
    const slots: ReadonlySet<string> = item?.slots instanceof Set ? item.slots : new Set();
    return {
      bucketStart,
      count: slots.size,
      slots,
      ...(typeof item?.threshold === "number" ? { threshold: item.threshold } : {}),
      ...(typeof item?.windowSeconds === "number" ? { windowSeconds: item.windowSeconds } : {}),
    };
  }

  /** Takes a slot for `slot` in the window, unless the window is full (an event never counts twice). */
  async reserve(
    request: {
      bucketStart: number;
      slot: string;
      threshold: number;
      windowSeconds: number;
      now: number;
      direction?: GuardDirection;
    },
    signal?: AbortSignal,
  ): Promise<Reservation> {
    const expiresAt = Math.ceil(request.bucketStart / 1000) + 2 * request.windowSeconds;
    try {
      const output = await ledgerCall("UpdateItem", () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: {
              [LEDGER_PARTITION_KEY]: { S: guardBucketKey(request.bucketStart, request.direction) },
            },
            UpdateExpression:
              "ADD #slots :slotSet SET #bucketStart = :bucketStart, #threshold = :threshold, #windowSeconds = :windowSeconds, #ttl = :ttl, #updatedAt = :now",
            ConditionExpression:
              "attribute_not_exists(#slots) OR size(#slots) < :threshold OR contains(#slots, :slot)",
            ExpressionAttributeNames: {
              "#slots": "slots",
              "#bucketStart": "bucketStart",
              "#threshold": "threshold",
              "#windowSeconds": "windowSeconds",
              "#ttl": TTL_ATTRIBUTE,
              "#updatedAt": "updatedAt",
            },
            ExpressionAttributeValues: {
              ":slotSet": { SS: [request.slot] },
              ":slot": { S: request.slot },
              ":bucketStart": { N: String(request.bucketStart) },
              ":threshold": { N: String(request.threshold) },
              ":windowSeconds": { N: String(request.windowSeconds) },
              ":ttl": { N: String(expiresAt) },
              ":now": { N: String(request.now) },
            },
            ReturnValues: "ALL_NEW",
          }),
          { abortSignal: signal },
        ),
      );
      const slots = output.Attributes?.slots?.SS ?? [];
      return { reserved: true, count: slots.length };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { reserved: false };
      throw error;
    }
  }

  /**
   * The consumer's own settings, written at its cold start, so that `lifecycle guard status`
   * shows (and `release` empties) the window the consumer really counts in. It touches no
   * other attribute: a tripped guard stays tripped.
   */
  async recordSettings(settings: GuardSettings, now: number): Promise<void> {
    const recorded: RecordedGuardSettings = { ...settings, recordedAt: now };
    await ledgerCall("UpdateItem", () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { [LEDGER_PARTITION_KEY]: { S: GUARD_STATE_KEY } },
          UpdateExpression: "SET #consumerSettings = :settings",
          ExpressionAttributeNames: { "#consumerSettings": "consumerSettings" },
          ExpressionAttributeValues: { ":settings": { M: marshall(recorded) } },
        }),
      ),
    );
  }

  /** Marks the guard tripped; `true` only for the one caller that changed it. */
  async trip(
    facts: {
      bucketStart: number;
      count: number;
      threshold: number;
      windowSeconds: number;
      now: number;
      direction?: GuardDirection;
    },
    signal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await ledgerCall("UpdateItem", () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: guardStateKey(facts.direction) } },
            UpdateExpression:
              "SET #tripped = :true, #trippedAt = :now, #trippedBucketStart = :bucketStart, #trippedCount = :count, #threshold = :threshold, #windowSeconds = :windowSeconds",
            ConditionExpression: "attribute_not_exists(#tripped) OR #tripped = :false",
            ExpressionAttributeNames: {
              "#tripped": "tripped",
              "#trippedAt": "trippedAt",
              "#trippedBucketStart": "trippedBucketStart",
              "#trippedCount": "trippedCount",
              "#threshold": "threshold",
              "#windowSeconds": "windowSeconds",
            },
            ExpressionAttributeValues: {
              ":true": { BOOL: true },
              ":false": { BOOL: false },
              ":now": { N: String(facts.now) },
              ":bucketStart": { N: String(facts.bucketStart) },
              ":count": { N: String(facts.count) },
              ":threshold": { N: String(facts.threshold) },
              ":windowSeconds": { N: String(facts.windowSeconds) },
            },
          }),
          { abortSignal: signal },
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Re-arms the guard and empties the current window's count, both directions, so the held
   * events, once redriven, fit in the window again (a wave larger than the threshold trips it
   * again).
   */
  async release(request: { bucketStart: number; now: number; by: string }): Promise<void> {
    for (const direction of ["offboards", "onboards"] as const) {
      await ledgerCall("UpdateItem", () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: guardStateKey(direction) } },
            UpdateExpression: "SET #tripped = :false, #releasedAt = :now, #releasedBy = :by",
            ExpressionAttributeNames: {
              "#tripped": "tripped",
              "#releasedAt": "releasedAt",
              "#releasedBy": "releasedBy",
            },
            ExpressionAttributeValues: {
              ":false": { BOOL: false },
              ":now": { N: String(request.now) },
              ":by": { S: request.by },
            },
          }),
        ),
      );
      await ledgerCall("DeleteItem", () =>
        this.#client.send(
          new DeleteItemCommand({
            TableName: this.#tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: guardBucketKey(request.bucketStart, direction) } },
          }),
        ),
      );
    }
  }

  async #get(key: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    return readLedgerItem(this.#client, this.#tableName, key, signal);
  }
}
