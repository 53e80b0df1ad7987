import { unlessCutOff } from "./invocation-deadline.ts";

/**
 * The FIFO rules, enforced here and nowhere else (compare Powertools' `SqsFifoPartialProcessor`
 * with `skipGroupOnError`):
 *
 * 1. Records of one message group run one after the other, in batch order (SQS hands a
 *    group's messages over in the order they were sent).
 * 2. Once a record of a group fails, the records after it in that group are NOT tried: they
 *    are reported failed ("untried"), so SQS delivers them again, after the failed one. Trying
 *    them would apply a person's later event before an earlier one.
 * 3. Other groups are unaffected: groups run concurrently, at most `concurrency` at a time.
 * 4. A record starts only while `canStart()` allows it (the invocation is not near its
 *    deadline); otherwise it is untried, and so is the rest of its group.
 * 5. A record whose processing throws counts as failed (rule 2 applies).
 * 6. When `stop` aborts, the batch stops waiting: it answers at once, a record still running
 *    as `unfinished`, every record not yet started as untried (`deadline`). Nothing starts
 *    after it; what runs on is no longer reported.
 *
 * Releasing untried records (visibility 0) is safe: while the failed record of the group is in
 * flight, SQS keeps the whole group locked, so nothing overtakes it.
 */

export type UntriedCause = "after_group_failure" | "deadline";

export type FifoRecordResult<R, T> =
  | { record: R; ran: true; result: T }
  | { record: R; ran: false; cause: UntriedCause | "unfinished" };

export interface FifoBatchOptions<R, T> {
  /** The record's message group; records without one form a group of their own. */
  groupOf(record: R): string;
  /** Groups processed at once. */
  concurrency: number;
  canStart(): boolean;
  /** Stops waiting for the records (rule 6). */
  stop?: AbortSignal | undefined;
  process(record: R): Promise<T>;
  /** Whether a result stops the rest of its group (rule 2). */
  isFailure(result: T): boolean;
  /** The result of a record whose processing threw (rule 5). */
  onThrow(record: R, error: unknown): T;
}

/** Results in batch order, one per record. */
export async function processFifoBatch<R, T>(
  records: readonly R[],
  options: FifoBatchOptions<R, T>,
): Promise<FifoRecordResult<R, T>[]> {
  const results = new Array<FifoRecordResult<R, T>>(records.length);
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const group = options.groupOf(record);
    const indexes = groups.get(group);
    if (indexes) indexes.push(index);
    else groups.set(group, [index]);
  });

  const running = new Set<number>();
  const runGroup = async (indexes: readonly number[]): Promise<void> => {
    let stopped: UntriedCause | undefined;
    for (const index of indexes) {
      const record = records[index] as R;
      if (stopped === undefined && (options.stop?.aborted || !options.canStart())) {
        stopped = "deadline";
      }
      if (stopped !== undefined) {
        results[index] = { record, ran: false, cause: stopped };
        continue;
      }
      let result: T;
      running.add(index);
      try {
        result = await options.process(record);
      } catch (error) {
        result = options.onThrow(record, error);
      } finally {
        running.delete(index);
      }
      results[index] = { record, ran: true, result };
      if (options.isFailure(result)) stopped = "after_group_failure";
    }
  };

  const queue = [...groups.values()];
  const workers = Array.from(
    { length: Math.max(1, Math.min(options.concurrency, queue.length)) },
    async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        await runGroup(next);
      }
    },
  );
  const all = Promise.all(workers).then(() => "done" as const);
  const ended = options.stop
    ? await unlessCutOff(all, options.stop, "stopped" as const)
    : await all;
  if (ended === "done") return results;
  return records.map(
    (record, index) =>
      results[index] ?? {
        record,
        ran: false,
        cause: running.has(index) ? "unfinished" : "deadline",
      },
  );
}
