import { count } from "../output/time-format.ts";

/** What every dlq command's help says about FIFO group locking (dead-letter-session.ts). */
export const FIFO_VISIBILITY_NOTE = `How much of the DLQ one command can see:
The DLQ is a FIFO queue grouped by person. While one dead letter of a person is being read,
SQS hides that person's other dead letters from everyone (FIFO group locking). So the command
holds every message it reads (invisible to others, for a timeout sized to the run) and keeps
receiving until no new message appears: that pages through every person. It then releases
what it read (visibility 0), which keeps each message's place: nothing is lost or reordered.
A listing shows each person's FIRST dead letter (sometimes a few); the ones behind it appear
once it is redriven or discarded. redrive and discard do reach them, as they delete as they go.
The footer compares what was read with the DLQ's approximate depth. A consumer or another
operator reading the DLQ at the same time hides what they hold.`;

/** Footer: what this run read against what the DLQ holds. */
export function reachNote(run: {
  seen: number;
  approximateDepth: number;
  truncated?: boolean;
  stopped?: string | undefined;
  unreleased: number;
}): string | undefined {
  const lines: string[] = [];
  if (run.truncated === true || run.stopped === "truncated") {
    lines.push("Reading stopped at its bound; run the command again for the rest.");
  }
  if (run.approximateDepth > run.seen) {
    lines.push(
      `The DLQ holds about ${count(run.approximateDepth, "message")}; ${run.seen} could be read: the others wait behind an earlier dead letter of the same person, or are held by another reader (see --help).`,
    );
  }
  if (run.unreleased > 0) {
    lines.push(
      `${count(run.unreleased, "message")} could not be released; they become visible again when their visibility timeout ends.`,
    );
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}
