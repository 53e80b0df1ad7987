import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import type { AuditSink } from "../../runtime/audit/audit-log.ts";
import { abortableSleep } from "../../runtime/pace/fixed-pace.ts";
import { queueArn, queueDepth } from "../queues/queue-depth.ts";

/**
 * Bulk redrive by SQS itself (`StartMessageMoveTask`): every message of the DLQ moves to the
 * source queue, at up to `maxPerSecond`. The destination is always given explicitly: messages
 * the consumer dead-lettered itself were SENT to the DLQ, so SQS knows no "original source" for
 * them. There is no stale pre-check and no selection; the consumer's ledger still acknowledges
 * stale and duplicate events without applying them. Moved messages keep their attributes (the
 * failure attributes included) and do not count a redrive.
 */
export interface NativeRedriveOptions {
  sqs: SQSClient;
  dlqUrl: string;
  queueUrl: string;
  audit: AuditSink | undefined;
  /** `MaxNumberOfMessagesPerSecond` (1–500); SQS chooses when undefined. */
  maxPerSecond?: number | undefined;
  dryRun: boolean;
  /** Aborting cancels the move task (CancelMessageMoveTask) and waits for it to stop. */
  signal?: AbortSignal | undefined;
  pollIntervalMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (progress: NativeRedriveProgress) => void;
  /** Failed status polls in a row before giving up watching (default 5). */
  maxPollFailures?: number;
}

export interface NativeRedriveProgress {
  status: string;
  moved: number;
  toMove: number | undefined;
}

export interface NativeRedriveResult {
  /** RUNNING is returned only when watching gave up (the task goes on in SQS). */
  status: "COMPLETED" | "CANCELLED" | "FAILED" | "RUNNING" | "DRY_RUN";
  taskHandle: string | undefined;
  moved: number;
  toMove: number | undefined;
  failureReason: string | undefined;
  sourceArn: string;
  destinationArn: string;
  cancelRequested: boolean;
}

const FINAL = new Set(["COMPLETED", "CANCELLED", "FAILED"]);
const MAX_POLLS_AFTER_CANCEL = 30;
const MAX_POLLS_WITHOUT_TASK = 30;

export async function runNativeRedrive(
  options: NativeRedriveOptions,
): Promise<NativeRedriveResult> {
  const sleep = options.sleep ?? abortableSleep;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const maxPollFailures = options.maxPollFailures ?? 5;
  const [sourceArn, destinationArn] = await Promise.all([
    queueArn(options.sqs, options.dlqUrl),
    queueArn(options.sqs, options.queueUrl),
  ]);
  const result: NativeRedriveResult = {
    status: "DRY_RUN",
    taskHandle: undefined,
    moved: 0,
    toMove: undefined,
    failureReason: undefined,
    sourceArn,
    destinationArn,
    cancelRequested: false,
  };
  if (options.dryRun) {
    result.toMove = (await queueDepth(options.sqs, options.dlqUrl)).total;
    return result;
  }
  if (options.audit === undefined) throw new Error("a native move needs an audit log");
  // The line comes before the move: a move the log cannot record is not started.
  await options.audit.write("native_move_requested", {
    sourceArn,
    destinationArn,
    maxPerSecond: options.maxPerSecond,
  });

  const started = await options.sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      ...(options.maxPerSecond ? { MaxNumberOfMessagesPerSecond: options.maxPerSecond } : {}),
    }),
  );
  result.taskHandle = started.TaskHandle;
  result.status = "RUNNING";
  await options.audit.write("native_move_started", {
    taskHandle: result.taskHandle,
    sourceArn,
    destinationArn,
    maxPerSecond: options.maxPerSecond,
  });

  const cancel = async () => {
    if (result.cancelRequested || result.taskHandle === undefined) return;
    result.cancelRequested = true;
    try {
      await options.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: result.taskHandle }));
    } catch {
      // The task may have finished meanwhile; the next poll tells.
    }
  };

  // Watching lasts as long as the task runs; these bound only the ways it could hang.
  let pollFailures = 0;
  let pollsWithoutTask = 0;
  let pollsAfterCancel = 0;
  for (;;) {
    if (options.signal?.aborted) await cancel();
    if (result.cancelRequested && ++pollsAfterCancel > MAX_POLLS_AFTER_CANCEL) break;
    let task: ListMessageMoveTasksResultEntry | undefined;
    try {
      const listed = await options.sqs.send(
        new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
      );
      task = listed.Results?.[0];
      pollFailures = 0;
    } catch {
      pollFailures += 1;
      if (pollFailures >= maxPollFailures) break;
    }
    if (task === undefined) {
      if (++pollsWithoutTask > MAX_POLLS_WITHOUT_TASK) break;
    } else {
      result.moved = task.ApproximateNumberOfMessagesMoved ?? result.moved;
      result.toMove = task.ApproximateNumberOfMessagesToMove ?? result.toMove;
      result.failureReason = task.FailureReason;
      const status = task.Status ?? "RUNNING";
      options.onProgress?.({ status, moved: result.moved, toMove: result.toMove });
      if (FINAL.has(status)) {
        result.status = status as NativeRedriveResult["status"];
        break;
      }
    }
    // After a cancel the wait is not cut short: the task needs a moment to stop.
    await sleep(pollIntervalMs, result.cancelRequested ? undefined : options.signal);
  }

  await options.audit.write("native_move_finished", {
    taskHandle: result.taskHandle,
    status: result.status,
    moved: result.moved,
    toMove: result.toMove,
    failureReason: result.failureReason,
    cancelRequested: result.cancelRequested,
  });
  return result;
}
