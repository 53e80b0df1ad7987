import type { Command } from "commander";
import {
  type LifecycleSettings,
  requireSetting,
} from "../../shared/operator/configuration/lifecycle-settings.ts";
import { listDeadLetters } from "../../shared/operator/dead-letters/list-dead-letters.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import { osisCredentials } from "../../shared/runtime/configuration/platform-fields.ts";
import { readSettings } from "../../shared/runtime/configuration/read-settings.ts";
import { list } from "../../shared/runtime/configuration/setting-fields.ts";
import {
  osisCdTenants,
  protectedAccountSet,
} from "../../shared/runtime/consumer/consumer-config.ts";
import { describePlan, type EventPlan } from "../../shared/runtime/consumer/event-plan.ts";
import { type EventPlannerOptions, planEvent } from "../../shared/runtime/consumer/plan-event.ts";
import type { DeadLetterEntry } from "../../shared/runtime/dlq/dead-letter-entry.ts";
import { readBambooHrSignal } from "../../shared/runtime/events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { describeProblems } from "../../shared/runtime/events/validation.ts";
import { createOffboardingGuard } from "../../shared/runtime/guard/create-offboarding-guard.ts";
import { DEFAULT_GUARD_SETTINGS } from "../../shared/runtime/guard/guard-settings.ts";
import { GuardStore } from "../../shared/runtime/guard/guard-store.ts";
import { createLogger } from "../../shared/runtime/logging/logger.ts";
import { noMetrics } from "../../shared/runtime/metrics/metrics.ts";
import { CommandFailure, UsageError } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";
import { DEFAULT_SOURCE } from "../input/event-input.ts";
import { eventsFromFile } from "../input/read-events.ts";
import {
  addSelectionOptions,
  refuseFilters,
  type SelectionFlags,
  selectionFrom,
} from "../options/selection-options.ts";
import { count } from "../output/time-format.ts";
import { type PlatformAccess, platformClientsFor, withPlatformAccess } from "../platform-access.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";
import { reachNote } from "./dlq-notes.ts";

interface PlanFlags extends SelectionFlags {
  file?: string;
  dlq?: boolean;
  source?: string;
  json?: boolean;
}

/**
 * The consumer's refusals the plan repeats: give the CLI the consumer's PROTECTED_ACCOUNTS and
 * OSIS_CD_TENANT_IDS.
 */
/** What the consumer refuses, and whether it would check S3 keys: read as it reads them. */
const protectedVariables = {
  PROTECTED_ACCOUNTS: list,
  OSIS_CD_TENANT_IDS: list,
  OSIS_CREDENTIALS: osisCredentials,
};

/** One event (or dead letter) and what the consumer would do with it now. */
interface PlannedRow {
  eventId: string | undefined;
  subject: string | undefined;
  type: string | undefined;
  /** From the DLQ: the dead letter and why it is there. */
  messageId?: string | undefined;
  reason?: string | undefined;
  plan: EventPlan;
}

/** `lifecycle plan`: what the consumer would do now, by the dry-run consumer's own code path. */
export const planCommand: CommandModule = {
  register(parent, context) {
    const command = addSelectionOptions(
      parent
        .command("plan")
        .description(
          "Show per event what the consumer would do right now (against the real ledger and platforms); writes nothing.",
        )
        .option(
          "--file <path>",
          "events to plan, as `send` reads them (- for stdin): a JSON object, array, or NDJSON",
        )
        .option("--source <uri>", `default source of events from --file (${DEFAULT_SOURCE})`)
        .option("--dlq", "plan the dead letters instead, narrowed by the filters below"),
      context.now,
    )
      .option("--json", "print one object per event: the plan, and the plan in words")
      .action((flags: PlanFlags, self: Command) => plan(flags, self, context));
    return helpAfter(
      command,
      [
        "lifecycle plan --file events.ndjson --stack HrLifecycleSync",
        "hr-export | lifecycle plan --file - --json",
        "lifecycle plan --dlq --reason dry_run",
        "lifecycle plan --dlq --reason held_by_guard --subject emp-42",
      ],
      `The plan is made by the same code as a dry-run consumer's (shared/runtime/consumer/plan-event.ts):
the consumer's verdict (duplicate, stale; a future effectiveAt: "would be scheduled until
<time>"), both platforms read and refused as the consumer would (PROTECTED_ACCOUNTS, the
tenants), the S3 keys it would check (not with OSIS_CREDENTIALS=ignore, as in the consumer),
and the mass-offboarding guard asked read-only with the settings the consumer recorded. Each event is planned against the state of now, not after the events before it. Platforms, tenants and credentials are found as for reconcile:
ACCOUNT_PLATFORM_URL / _TENANT_ID, OSIS_URL / _CD_TENANT_ID, the secrets or static
credentials, else the local stack file. Exit 1 when an event could not be planned (a
platform or the ledger could not be read: "would retry").`,
    );
  },
};

async function plan(flags: PlanFlags, self: Command, context: CommandContext): Promise<void> {
  if ((flags.file === undefined) === (flags.dlq !== true)) {
    throw new UsageError("Say what to plan: events with --file, or dead letters with --dlq.");
  }
  if (!flags.dlq) refuseFilters(flags, "--dlq");
  const events =
    flags.file === undefined ? undefined : await eventsFromFile(flags.file, flags.source, context);
  const settings = await context.settings(self);
  const rows = await withPlatformAccess(settings, context, "A plan", async (access) => {
    const planner = await plannerFor(access, settings, context);
    const signal = context.io.signal ?? new AbortController().signal;
    // A dead letter keeps its first arrival; an event not sent yet would arrive now.
    const planOne = (event: LifecycleEvent, arrivedAt?: number) =>
      planEvent(event, planner, signal, arrivedAt);
    if (events === undefined) return planDeadLetters(flags, settings, context, planOne);
    const planned: PlannedRow[] = [];
    // One at a time, in input order: a bulk file must not become a burst of platform reads.
    for (const event of events) planned.push({ ...rowOf(event), plan: await planOne(event) });
    return planned;
  });
  printPlans(rows, flags, context);
  const unplanned = rows.filter((row) => row.plan.kind === "retry").length;
  if (unplanned > 0) {
    throw new CommandFailure(
      `${count(unplanned, "event")} could not be planned (a platform or the ledger could not be read); run the command again.`,
    );
  }
}

async function plannerFor(
  access: PlatformAccess,
  settings: LifecycleSettings,
  context: CommandContext,
): Promise<EventPlannerOptions> {
  const { tenantId } = access.accountPlatform;
  const { cdTenantId } = access.osis;
  if (tenantId === undefined || cdTenantId === undefined) {
    throw new UsageError(
      "A plan needs the consumer's tenants: set ACCOUNT_PLATFORM_TENANT_ID and OSIS_CD_TENANT_ID (the local stack file gives both).",
    );
  }
  const platforms = platformClientsFor(access, context);
  const client = context.dynamodb(settings);
  const tableName = requireSetting(settings, "ledgerTable");
  const recorded = (await new GuardStore({ client, tableName }).readState()).consumerSettings;
  const refusals = readSettings(protectedVariables, context.env, "The plan's settings");
  return {
    ledger: context.ledger(settings),
    targets: {
      accountPlatform: { platform: platforms.accountPlatform, tenantId },
      osis: {
        platform: platforms.osis,
        cdTenantId,
        cdTenantIds: osisCdTenants(refusals.OSIS_CD_TENANT_IDS, cdTenantId),
      },
      protectedAccounts: protectedAccountSet(refusals.PROTECTED_ACCOUNTS),
    },
    osisCredentials: refusals.OSIS_CREDENTIALS,
    writeGate: createOffboardingGuard({
      client,
      tableName,
      settings: recorded ?? DEFAULT_GUARD_SETTINGS,
      logger: createLogger({ sink: (line) => context.note(line) }),
      metrics: noMetrics,
    }),
    now: context.now,
  };
}

async function planDeadLetters(
  flags: PlanFlags,
  settings: LifecycleSettings,
  context: CommandContext,
  planOne: (event: LifecycleEvent, arrivedAt?: number) => Promise<EventPlan>,
): Promise<PlannedRow[]> {
  const listing = await listDeadLetters({
    sqs: context.sqs(settings),
    dlqUrl: requireSetting(settings, "dlqUrl"),
    selection: selectionFrom(flags),
    signal: context.io.signal,
  });
  const note = reachNote(listing);
  if (note) context.note(note);
  const planned: PlannedRow[] = [];
  for (const entry of listing.entries) {
    const plan = entry.event ? await planOne(entry.event, entry.arrivedAt) : invalidPlan(entry);
    planned.push({ ...rowOfDeadLetter(entry), plan });
  }
  return planned;
}

function rowOf(event: LifecycleEvent): Omit<PlannedRow, "plan"> {
  return { eventId: event.id, subject: event.subject, type: event.type };
}

function rowOfDeadLetter(entry: DeadLetterEntry): Omit<PlannedRow, "plan"> {
  return {
    eventId: entry.eventId,
    subject: entry.subject ?? entry.groupId,
    type: entry.type,
    messageId: entry.messageId,
    reason: entry.failure.reason,
  };
}

/** A dead letter whose body is no event: the consumer would dead-letter it again. */
function invalidPlan(entry: DeadLetterEntry): EventPlan {
  const signal = readBambooHrSignal(entry.body);
  if (signal !== undefined) {
    // Only the consumer reads BambooHR: what the signal would do is what HR says then.
    return {
      kind: "retry",
      detail: `a BambooHR signal: the consumer reads employee ${signal.data.employeeId} back from BambooHR when it is redriven, and applies what HR says then; it cannot be planned here`,
    };
  }
  return {
    kind: "dead_letter",
    reason: "invalid_event",
    detail: describeProblems(entry.problems ?? []),
  };
}

function printPlans(rows: readonly PlannedRow[], flags: PlanFlags, context: CommandContext): void {
  if (flags.json) {
    context.out(
      JSON.stringify(
        rows.map((row) => ({ ...row, description: describePlan(row.plan) })),
        null,
        2,
      ),
    );
  } else if (rows.length > 0) {
    context.out(
      formatTable(
        flags.dlq
          ? ["EVENT ID", "SUBJECT", "TYPE", "REASON", "PLAN"]
          : ["EVENT ID", "SUBJECT", "TYPE", "PLAN"],
        rows.map((row) => [
          row.eventId,
          row.subject,
          row.type,
          ...(flags.dlq ? [row.reason] : []),
          describePlan(row.plan),
        ]),
        { maxCellWidth: 160 },
      ),
    );
  }
  const tally = new Map<string, number>();
  for (const row of rows) tally.set(row.plan.kind, (tally.get(row.plan.kind) ?? 0) + 1);
  const parts = [...tally].map(([kind, n]) => `${n} ${kind.replaceAll("_", " ")}`);
  context.note(
    `${count(rows.length, "event")} planned${parts.length ? `: ${parts.join(", ")}` : ""}; nothing was written.`,
  );
}
