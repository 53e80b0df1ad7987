import { type DeadLetterEntry, failedAt } from "../../runtime/dlq/dead-letter-entry.ts";

/**
 * Which dead letters a command acts on. Within one field any value matches (`--reason a
 * --reason b`); across fields all must match. An empty selection selects everything.
 */
export interface DeadLetterSelection {
  reasons?: readonly string[] | undefined;
  targets?: readonly string[] | undefined;
  subjects?: readonly string[] | undefined;
  /** Failure time (`lifecycle.failure.at`) at or after this, epoch ms. */
  since?: number | undefined;
  /** An event id or an SQS message id (of the dead letter or of the source message). */
  ids?: readonly string[] | undefined;
  /** The event's `source` (an event id names one event only with its source). */
  sources?: readonly string[] | undefined;
}

export function matchesSelection(entry: DeadLetterEntry, selection: DeadLetterSelection): boolean {
  const anyOf = (values: readonly string[] | undefined, ...candidates: (string | undefined)[]) =>
    values === undefined ||
    values.length === 0 ||
    candidates.some((candidate) => candidate !== undefined && values.includes(candidate));

  if (!anyOf(selection.reasons, entry.failure.reason)) return false;
  if (!anyOf(selection.targets, entry.failure.target)) return false;
  if (!anyOf(selection.subjects, entry.subject, entry.groupId)) return false;
  if (!anyOf(selection.ids, entry.eventId, entry.messageId, entry.failure.sourceMessageId)) {
    return false;
  }
  if (!anyOf(selection.sources, entry.source)) return false;
  if (selection.since !== undefined) {
    const at = failedAt(entry);
    if (at === undefined || at < selection.since) return false;
  }
  return true;
}

/** True when the selection names nothing (every dead letter is selected). */
export function selectsEverything(selection: DeadLetterSelection): boolean {
  return (
    (selection.reasons ?? []).length === 0 &&
    (selection.targets ?? []).length === 0 &&
    (selection.subjects ?? []).length === 0 &&
    (selection.ids ?? []).length === 0 &&
    (selection.sources ?? []).length === 0 &&
    selection.since === undefined
  );
}

/**
 * The ids of the selection that name events of more than one source among these dead letters
 * (an event id is unique only within its source; a message id is unique), each with the
 * sources it names. Empty when the selection gives its sources.
 */
export function idsAcrossSources(
  entries: readonly DeadLetterEntry[],
  selection: DeadLetterSelection,
): { id: string; sources: string[] }[] {
  if ((selection.sources ?? []).length > 0) return [];
  return (selection.ids ?? []).flatMap((id) => {
    const sources = new Set(
      entries.filter((entry) => entry.eventId === id).map((entry) => entry.source ?? "(none)"),
    );
    return sources.size > 1 ? [{ id, sources: [...sources].sort() }] : [];
  });
}
