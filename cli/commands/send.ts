import type { Command } from "commander";
import {
  type LifecycleSettings,
  requireSetting,
} from "../../shared/operator/configuration/lifecycle-settings.ts";
import type { AuditLog } from "../../shared/runtime/audit/audit-log.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { describeFailure } from "../describe-failure.ts";
import {
  EVENT_FLAG_KEYS,
  type EventFlags,
  eventFromFlags,
  flagProblemSentence,
} from "../input/event-from-flags.ts";
import { DEFAULT_SOURCE } from "../input/event-input.ts";
import { eventsFromFile, validEvents } from "../input/read-events.ts";
import { parseWhen } from "../options/parsers.ts";
import { enqueueEvent } from "../queue/enqueue-event.ts";
import { AUDIT_LOG_OPTION_HELP, openAuditLog } from "./audit-path.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface SendFlags extends EventFlags {
  effectiveAt?: string;
  file?: string;
  json?: boolean;
  dryRun?: boolean;
  auditLog?: string;
}

export const sendCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("send")
      .description(
        "Validate lifecycle events and put them on the source queue (group = subject, deduplication id from source + id).",
      )
      .option("--type <type>", "onboarded | offboarded (or user.onboarded | user.offboarded)")
      .option("--subject <subject>", "the person key (HR employee id)")
      .option("--id <id>", "event id (default: a new UUID)")
      .option("--time <time>", "event time, RFC 3339 (default: now)")
      .option("--source <uri>", `producer URI (default: ${DEFAULT_SOURCE})`)
      .option("--reason <text>", "free text kept with the event")
      .option(
        "--effective-at <when>",
        "schedule the change: RFC 3339 with offset, or +3d / +12h from now (default: at once)",
      )
      .option("--account-user-id <uuid>", "account platform user, by its UUID")
      .option("--account-external-id <id>", "account platform user, by its external id")
      .option("--account-login <login>", "account platform user, by login")
      .option("--osis-tenant-id <id>", "OSIS tenant (with --osis-user-id)")
      .option("--osis-user-id <id>", "OSIS user id (with --osis-tenant-id)")
      .option("--osis-cd-user-id <id>", "OSIS user, by its cd user id")
      .option(
        "--osis-cd-tenant-id <id>",
        "cd tenant of --osis-cd-user-id (default: the consumer's)",
      )
      .option(
        "--file <path>",
        "read events from a file (- for stdin): a JSON object, array, or NDJSON",
      )
      .option("--dry-run", "validate and print the events; send nothing")
      .option("--audit-log <path>", AUDIT_LOG_OPTION_HELP)
      .option("--json", "print the results as JSON")
      .action((flags: SendFlags, self: Command) => send(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle send --type offboarded --subject emp-42 --account-login jdoe --osis-cd-user-id jdoe",
        "lifecycle send --file events.ndjson --stack HrLifecycleSync",
        "hr-export | lifecycle send --file - --json",
        "lifecycle send --type offboarded --subject emp-42 --account-login jdoe --effective-at 2026-12-04T18:00:00+01:00",
      ],
      `Events from a file get the same defaults for absent specversion and source. Each must
have its time (when HR decided the change): an event without one refuses the file. An absent
id is derived from the event's content (source, subject, type, time, data), so sending the
same file twice applies nothing new: the same source + id is enqueued once within five
minutes, and applied once ever (the ledger remembers it). Every event sent is appended to
the audit log (who, where, which event, its message id).
--effective-at schedules the change (data.effectiveAt, at most LIFECYCLE_MAX_SCHEDULE_DAYS
ahead, default 400): see it with lifecycle schedule list, undo it with lifecycle schedule cancel.
Any invalid event refuses the whole input (exit 2): nothing is half-sent. Events are sent
one by one in input order; a failure stops the rest (exit 1) and says which were sent.`,
    );
  },
};

async function send(flags: SendFlags, self: Command, context: CommandContext): Promise<void> {
  const fromFlags = EVENT_FLAG_KEYS.some((key) => flags[key] !== undefined);
  if (fromFlags && flags.file !== undefined) {
    throw new UsageError("Give the event either by flags or with --file, not both.");
  }
  if (!fromFlags && flags.file === undefined) {
    throw new UsageError(
      "Nothing to send: describe the event with flags (--type, --subject and a target) or give --file.",
    );
  }
  const effectiveAt = effectiveAtFrom(flags.effectiveAt, context.now());
  const events = fromFlags
    ? validEvents(
        [{ value: eventFromFlags(flags), where: "$" }],
        flags.source,
        context,
        effectiveAt,
        { sayProblems: (problems) => flagProblemSentence(problems, flags) },
      )
    : await eventsFromFile(flags.file ?? "-", flags.source, context, effectiveAt);

  if (flags.dryRun) {
    if (flags.json) context.out(JSON.stringify(events, null, 2));
    else for (const event of events) context.out(JSON.stringify(event));
    context.note(`Dry run: ${events.length} valid event(s); nothing was sent.`);
    return;
  }

  const settings = await context.settings(self);
  const queueUrl = requireSetting(settings, "queueUrl");
  const sqs = context.sqs(settings);
  const audit = await openAuditLog(context, flags.auditLog, settings.description);
  try {
    await sendEach(events, { sqs, queueUrl, audit, settings, context, json: flags.json });
  } finally {
    await audit.close();
  }
}

interface SendTarget {
  sqs: ReturnType<CommandContext["sqs"]>;
  queueUrl: string;
  audit: AuditLog;
  settings: LifecycleSettings;
  context: CommandContext;
  json: boolean | undefined;
}

/**
 * In input order; a failure stops the rest. Each event's audit line follows its send (the
 * message id is known only then); a send that failed is audited too, as far as the log allows.
 */
async function sendEach(events: readonly LifecycleEvent[], target: SendTarget): Promise<void> {
  const { sqs, queueUrl, audit, settings, context, json } = target;
  const sent: (ReturnType<typeof summary> & { messageId: string })[] = [];
  const stop = (index: number, why: string, detail?: string): CommandFailure => {
    if (json) context.out(JSON.stringify(sent, null, 2));
    const notSent = events.slice(index).map((e) => e.id);
    return new CommandFailure(
      `Sent ${sent.length} of ${events.length} events; ${why}. Send those again.`,
      { detail: `not sent: ${notSent.join(", ") || "none"}${detail ? `\n${detail}` : ""}` },
    );
  };
  for (const [index, event] of events.entries()) {
    let messageId: string;
    try {
      ({ messageId } = await enqueueEvent(sqs, queueUrl, event, context.now()));
    } catch (error) {
      const cause = describeFailure(error, settings);
      await audit.write("send_failed", { ...summary(event), error: cause.message }).catch(() => {});
      throw stop(
        index,
        `event ${event.id} and the ${events.length - index - 1} after it were not sent (${cause.message})`,
        cause.detail,
      );
    }
    sent.push({ ...summary(event), messageId });
    try {
      await audit.write("sent", { ...summary(event), messageId });
    } catch (error) {
      throw stop(
        index + 1,
        `event ${event.id} was sent (message ${messageId}) but the audit log ${audit.path} could not record it, so the ${events.length - index - 1} after it were not sent`,
        String((error as Error).message),
      );
    }
    if (!json) {
      const when = event.data.effectiveAt ? `, effective ${event.data.effectiveAt}` : "";
      context.out(
        `sent ${event.type} for ${event.subject}${when}: event ${event.id}, message ${messageId}`,
      );
    }
  }
  if (json) context.out(JSON.stringify(sent, null, 2));
}

/** An RFC 3339 value is kept as written (its offset too); `+3d` becomes a UTC instant. */
function effectiveAtFrom(value: string | undefined, now: number): string | undefined {
  if (value === undefined) return undefined;
  try {
    const at = parseWhen(value, now);
    return value.trim().startsWith("+") ? new Date(at).toISOString() : value.trim();
  } catch (error) {
    throw new UsageError(`--effective-at ${(error as Error).message}`);
  }
}

function summary(event: LifecycleEvent) {
  return {
    eventId: event.id,
    source: event.source,
    subject: event.subject,
    type: event.type,
    eventTime: event.time,
    ...(event.data.effectiveAt ? { effectiveAt: event.data.effectiveAt } : {}),
  };
}
