import { mkdir, open } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import type { DeadLetterEntry } from "../dlq/dead-letter-entry.ts";

/**
 * The operators' audit trail: one JSON object a line, appended, never rewritten. Each line is
 * flushed to disk (fdatasync) before `write` resolves, because callers write it BEFORE the
 * change it records (a dead letter is deleted only once its line is on disk). The file may hold
 * event bodies (personal data): it is created with mode 0600, like `.lifecycle/local.json`.
 */
export const DEFAULT_AUDIT_LOG = join(".lifecycle", "audit.log");

export type AuditAction =
  | "redriven"
  | "redrive_send_failed"
  | "redrive_delete_failed"
  | "skipped_stale"
  | "skipped_duplicate"
  | "skipped_invalid"
  | "skipped_behind_failure"
  | "discard"
  | "discard_delete_failed"
  | "native_move_requested"
  | "native_move_started"
  | "native_move_finished"
  | "guard_released"
  | "reconcile_corrective_sending"
  | "reconcile_corrective_sent"
  | "schedule_cancelled"
  | "sent"
  | "send_failed";

export interface AuditContext {
  /** The environment acted on, as the CLI describes it. */
  environment: string;
  /** Who ran the command (the OS user unless given). */
  operator?: string | undefined;
  now?: () => number;
}

export interface AuditSink {
  write(action: AuditAction, fields: Record<string, unknown>): Promise<void>;
}

export class AuditLog implements AuditSink {
  readonly path: string;
  readonly #handle: Awaited<ReturnType<typeof open>>;
  readonly #context: Required<Omit<AuditContext, "now">>;
  readonly #now: () => number;

  private constructor(
    path: string,
    handle: Awaited<ReturnType<typeof open>>,
    context: AuditContext,
  ) {
    this.path = path;
    this.#handle = handle;
    this.#context = {
      environment: context.environment,
      operator: context.operator ?? currentOperator(),
    };
    this.#now = context.now ?? Date.now;
  }

  /** Who the lines name as having acted. */
  get operator(): string {
    return this.#context.operator;
  }

  /** Opens (creating) the file up front, so an unwritable path fails before anything changes. */
  static async open(path: string, context: AuditContext): Promise<AuditLog> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, "a", 0o600);
    return new AuditLog(path, handle, context);
  }

  async write(action: AuditAction, fields: Record<string, unknown>): Promise<void> {
    const line = JSON.stringify({
      time: new Date(this.#now()).toISOString(),
      action,
      operator: this.#context.operator,
      environment: this.#context.environment,
      ...fields,
    });
    await this.#handle.appendFile(`${line}\n`, "utf8");
    await this.#handle.datasync();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/** What identifies a dead letter and its failure in an audit line. */
export function auditFieldsOf(entry: DeadLetterEntry): Record<string, unknown> {
  return {
    messageId: entry.messageId,
    groupId: entry.groupId,
    eventId: entry.eventId,
    source: entry.event?.source,
    subject: entry.subject,
    type: entry.type,
    eventTime: entry.eventTime,
    failure: entry.failure,
    redriveCount: entry.redriveCount,
  };
}

/** The whole message, so that the audit line alone can rebuild it (discard). */
export function fullMessageOf(entry: DeadLetterEntry): Record<string, unknown> {
  return {
    ...auditFieldsOf(entry),
    message: {
      body: entry.body,
      messageAttributes: entry.attributes,
      systemAttributes: entry.systemAttributes,
    },
  };
}

function currentOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
