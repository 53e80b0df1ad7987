import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type DeadLetterEntry, toDeadLetterEntry } from "../../runtime/dlq/dead-letter-entry.ts";

/**
 * Reads a FIFO dead-letter queue without losing or reordering anything. The rules, and why:
 *
 * 1. FIFO group locking. While one message of a message group (a person) is in flight, SQS
 *    returns no other message of that group, to anyone. One ReceiveMessage therefore sees at
 *    most the head (or first few) of each group; a person's second dead letter stays invisible
 *    until the first is deleted or released.
 * 2. So every message read is HELD in flight (visibility timeout sized to the whole run, see
 *    visibility-sizing.ts) and the session keeps receiving: each receive then returns heads of
 *    groups not yet held. Reading goes on while receives bring new message ids, and stops at the
 *    first empty answer (a long poll answers empty only when nothing is visible), after a few
 *    receives in a row that bring only repeats, or at `maxReceives` (then `truncated`).
 * 3. A command that deletes a message (redrive, discard) unlocks its group: the next receive
 *    returns the message behind it, so such commands reach whole groups. A read-only listing
 *    cannot see behind a group's head; it reports the DLQ's approximate depth beside what it saw.
 * 4. Repeats (a message whose visibility ran out and was received again) are dropped by message
 *    id; the newest receipt handle replaces the old one, which SQS no longer accepts.
 * 5. `release` sets every message still held back to visible (ChangeMessageVisibility 0), which
 *    keeps its place in its group: nothing is re-sent, so nothing is reordered.
 */
export interface DeadLetterSessionOptions {
  sqs: SQSClient;
  dlqUrl: string;
  visibilityTimeoutSeconds: number;
  /** Long-poll wait of each receive, seconds (default 1). */
  waitTimeSeconds?: number;
  /** Receives in a row bringing only repeats before a read ends (default 3). */
  maxRepeatReceives?: number;
  /** Bound on receives over the whole session (default 10 000, 100 000 messages). */
  maxReceives?: number;
}

export interface ReleaseResult {
  released: number;
  /** Messages SQS did not release; they become visible again when their timeout ends. */
  failed: number;
}

export class DeadLetterSession {
  readonly #sqs: SQSClient;
  readonly #dlqUrl: string;
  readonly #visibility: number;
  readonly #wait: number;
  readonly #maxRepeatReceives: number;
  readonly #maxReceives: number;
  readonly #held = new Map<string, DeadLetterEntry>();
  readonly #seen = new Set<string>();
  #receives = 0;
  #truncated = false;

  constructor(options: DeadLetterSessionOptions) {
    this.#sqs = options.sqs;
    this.#dlqUrl = options.dlqUrl;
    this.#visibility = options.visibilityTimeoutSeconds;
    this.#wait = options.waitTimeSeconds ?? 1;
    this.#maxRepeatReceives = options.maxRepeatReceives ?? 3;
    this.#maxReceives = options.maxReceives ?? 10_000;
  }

  /** True when reading stopped at `maxReceives`: more dead letters may remain unseen. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Messages read and still held in flight by this session. */
  get held(): DeadLetterEntry[] {
    return [...this.#held.values()];
  }

  /**
   * Each dead letter not yet seen in this session, once. The caller may delete entries between
   * yields (which uncovers the messages behind them); calling `read` again later resumes.
   */
  async *read(signal?: AbortSignal): AsyncGenerator<DeadLetterEntry> {
    let repeatReceives = 0;
    while (!signal?.aborted) {
      if (this.#receives >= this.#maxReceives) {
        this.#truncated = true;
        return;
      }
      this.#receives += 1;
      let messages: Message[];
      try {
        const output = await this.#sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#dlqUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: this.#wait,
            VisibilityTimeout: this.#visibility,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          }),
          signal ? { abortSignal: signal } : {},
        );
        messages = output.Messages ?? [];
      } catch (error) {
        // Interrupted mid-receive: the caller sees `signal.aborted` and reports it.
        if (signal?.aborted) return;
        throw error;
      }
      if (messages.length === 0) return;
      const fresh: DeadLetterEntry[] = [];
      for (const message of messages) {
        const entry = toDeadLetterEntry(message);
        const known = this.#held.get(entry.messageId);
        if (known !== undefined) {
          known.receiptHandle = entry.receiptHandle;
        } else if (!this.#seen.has(entry.messageId)) {
          this.#seen.add(entry.messageId);
          this.#held.set(entry.messageId, entry);
          fresh.push(entry);
        }
      }
      if (fresh.length === 0) {
        repeatReceives += 1;
        if (repeatReceives >= this.#maxRepeatReceives) return;
        continue;
      }
      repeatReceives = 0;
      for (const entry of fresh) {
        // The caller may have let go of it (deleted) before we yield the next one.
        if (this.#held.has(entry.messageId)) yield entry;
      }
    }
  }

  /** Deletes a held dead letter for good (after it was re-sent, or written to the audit log). */
  async delete(entry: DeadLetterEntry): Promise<void> {
    const held = this.#held.get(entry.messageId) ?? entry;
    await this.#sqs.send(
      new DeleteMessageCommand({ QueueUrl: this.#dlqUrl, ReceiptHandle: held.receiptHandle }),
    );
    this.#held.delete(entry.messageId);
  }

  /** Makes every held message visible again (or only `entries`). Never throws. */
  async release(entries?: readonly DeadLetterEntry[]): Promise<ReleaseResult> {
    const targets = (entries ?? this.held).filter((entry) => this.#held.has(entry.messageId));
    let released = 0;
    let failed = 0;
    for (let start = 0; start < targets.length; start += 10) {
      const chunk = targets.slice(start, start + 10);
      try {
        const output = await this.#sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#dlqUrl,
            Entries: chunk.map((entry, index) => ({
              Id: String(index),
              ReceiptHandle: this.#held.get(entry.messageId)?.receiptHandle ?? entry.receiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        );
        const failedIds = new Set((output.Failed ?? []).map((f) => f.Id));
        chunk.forEach((entry, index) => {
          if (failedIds.has(String(index))) {
            failed += 1;
          } else {
            released += 1;
            this.#held.delete(entry.messageId);
          }
        });
      } catch {
        failed += chunk.length;
      }
    }
    return { released, failed };
  }
}
