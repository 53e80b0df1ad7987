import type { BambooHrFieldMapping } from "../configuration/bamboohr-field-mapping.ts";
import { CredentialsNotConfiguredError } from "../errors/credentials-not-configured-error.ts";
import { NotFoundError, RejectedError } from "../errors/platform-errors.ts";
import type { BambooHrSignal } from "../events/bamboohr-signal.ts";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { BAMBOOHR_SOURCE } from "../events/source-ownership.ts";
import {
  type EventClock,
  type ValidationProblem,
  validateLifecycleEvent,
} from "../events/validation.ts";
import type { PersonRecord } from "../ledger/person-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { BambooHrEmployeeReader } from "../platforms/bamboohr/bamboohr-client.ts";
import {
  type EmployeeEvent,
  type FieldBasedEmployee,
  fieldText,
  readBambooHrBody,
} from "./bamboohr-body.ts";
import { bambooHrField, namesField } from "./bamboohr-fields.ts";
import {
  type EmployeeChange,
  type EmployeeValues,
  fieldsRead,
  mapEmployeeChange,
} from "./bamboohr-mapping.ts";
import { signalFor, unorderedEvent } from "./bamboohr-signals.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";
import { mapConcurrently } from "./concurrently.ts";

/**
 * One BambooHR delivery, authenticated and decoded, as the events (and, with BambooHR's API
 * configured, the signals the consumer reads back) to enqueue. The rule that shapes every
 * answer: BambooHR retries a 5xx and never a 4xx, so
 * - a malformed body is 400, and more than MAX_BAMBOOHR_EMPLOYEES employees 413 (nothing a
 *   retry could fix);
 * - an employee that cannot become a valid event (or signal) is ignored, counted, and logged
 *   with its id: the rest of the delivery still goes through;
 * - BambooHR's API, its secret or the ledger failing (for a deleted employee), or an
 *   event-based status change before the API secret is filled in, is thrown, and the webhook
 *   answers 503 so that BambooHR sends the delivery again.
 */
export type DeletedMeans = "offboard" | "ignore";
export const DELETED_MEANS: readonly DeletedMeans[] = ["offboard", "ignore"];

/** The ledger as the webhook may see it: one person's item, read with GetItem. */
export interface PersonLookup {
  getPerson(subject: string): Promise<Pick<PersonRecord, "resolved"> | undefined>;
}

export interface BambooHrSettings {
  mapping: BambooHrFieldMapping;
  deletedMeans: DeletedMeans;
  employees: BambooHrEmployeeReader;
  /**
   * Whether BambooHR's API is configured (its secret filled in): then a status change, of
   * either format, is enqueued as a signal the consumer reads back. Throws when the secret
   * cannot be read (the delivery is answered 503).
   */
  readBack: () => Promise<boolean>;
  /** Undefined: no ledger to fall back on for a deleted employee the API cannot read. */
  people: PersonLookup | undefined;
}

export const MAX_BAMBOOHR_EMPLOYEES = 1_000;
/** Ledger reads in flight at once for the deleted employees of one field-based delivery. */
const LOOKUPS_IN_FLIGHT = 10;

export type BambooHrDeliveryResult =
  | {
      ok: true;
      events: (LifecycleEvent | BambooHrSignal)[];
      ignored: number;
      problems: ValidationProblem[];
      /** Events taken from field values without their own timestamp: they cannot be ordered. */
      unordered: string[];
    }
  | { ok: false; status: 400 | 413; problems: ValidationProblem[] };

/** An employee's event (or signal), or why it was ignored (no problems: nothing to do). */
type Outcome =
  | { event: LifecycleEvent | BambooHrSignal; unordered?: true }
  | { ignored: readonly ValidationProblem[] };
const IGNORED: Outcome = { ignored: [] };

interface Context extends BambooHrSettings {
  logger: Logger;
  /** Events too far ahead of now are refused (LIFECYCLE_MAX_FUTURE_SECONDS). */
  clock: EventClock | undefined;
  /** When the webhook received the delivery, epoch ms: a signal's `time`. */
  receivedAtMs: number;
  /** Whether the consumer reads employees back (`readBack`, asked once per delivery). */
  readingBack: () => Promise<boolean>;
}

/** `signedAtMs`: the verified `X-BambooHR-Timestamp`. */
export async function readBambooHrDelivery(
  body: unknown,
  signedAtMs: number,
  settings: BambooHrSettings,
  logger: Logger,
  clock?: EventClock,
): Promise<BambooHrDeliveryResult> {
  const read = readBambooHrBody(body);
  if (!read.ok) return { ok: false, status: 400, problems: read.problems };
  let asked: Promise<boolean> | undefined;
  const readingBack = () => {
    asked ??= settings.readBack();
    return asked;
  };
  const receivedAtMs = clock?.now ?? Date.now();
  const context = { ...settings, logger, clock, receivedAtMs, readingBack };
  const { delivery } = read;
  if (delivery.format === "event-based") {
    return collect([await eventBased(delivery.event, context)]);
  }
  if (delivery.employees.length > MAX_BAMBOOHR_EMPLOYEES) {
    const message = `holds ${delivery.employees.length} employees; at most ${MAX_BAMBOOHR_EMPLOYEES} are accepted per delivery`;
    return { ok: false, status: 413, problems: [{ path: "$.employees", message }] };
  }
  const outcomes = await mapConcurrently(delivery.employees, LOOKUPS_IN_FLIGHT, (employee, index) =>
    fieldBased(employee, index, signedAtMs, context),
  );
  return collect(outcomes);
}

function collect(outcomes: readonly Outcome[]): BambooHrDeliveryResult {
  const events: (LifecycleEvent | BambooHrSignal)[] = [];
  const problems: ValidationProblem[] = [];
  const unordered: string[] = [];
  let ignored = 0;
  for (const outcome of outcomes) {
    if ("event" in outcome) {
      events.push(outcome.event);
      if (outcome.unordered) unordered.push(outcome.event.id);
    } else {
      ignored += 1;
      problems.push(...outcome.ignored);
    }
  }
  return { ok: true, events, ignored, problems, unordered };
}

/**
 * Field-based. With BambooHR's API configured, the employee's status change is a signal: the
 * consumer reads the values back (so a retried older delivery can only restate what HR says
 * now). Without it, the values in the body are taken as they are, dated by the employee's own
 * timestamp, else by the signature's: such an event cannot be ordered against others (see
 * `unorderedEventId`).
 */
async function fieldBased(
  employee: FieldBasedEmployee,
  index: number,
  signedAtMs: number,
  context: Context,
): Promise<Outcome> {
  const ownAtMs = parseBambooHrInstant(employee.timestamp ?? "");
  const atMs = ownAtMs ?? signedAtMs;
  const change = {
    eventId: `${employee.id}-${Math.floor(atMs / 1000)}`,
    time: new Date(atMs).toISOString(),
    path: ["employees", index],
  };
  if (employee.action?.toLowerCase() === "deleted") {
    return context.deletedMeans === "ignore" ? IGNORED : fromLedger(employee.id, change, context);
  }
  if (!namesField(employee.changedFields, bambooHrField(context.mapping.statusField))) {
    return IGNORED;
  }
  const values: EmployeeValues = {
    employeeId: employee.id,
    read: (field) =>
      fieldText(
        ownValue(employee.fields, field.displayName) ?? ownValue(employee.fields, field.alias),
      ),
  };
  if (await context.readingBack()) {
    const subject =
      context.mapping.subjectField === ""
        ? employee.id
        : values.read(bambooHrField(context.mapping.subjectField));
    return signalOf(employee.id, change, subject, context);
  }
  const outcome = mapped({ ...change, employee: values, change: "status" }, context);
  if (ownAtMs !== undefined || !("event" in outcome)) return outcome;
  return { event: unorderedEvent(outcome.event, employee.id, signedAtMs), unordered: true };
}

function signalOf(
  employeeId: string,
  change: Omit<EmployeeChange, "employee" | "change">,
  subject: string | undefined,
  context: Context,
): Outcome {
  const signal = signalFor({ ...change, employeeId, subject, receivedAtMs: context.receivedAtMs });
  if (signal.ok) return { event: signal.signal };
  context.logger.warn("BambooHR employee cannot become a signal; the change is ignored", {
    employeeId: employeeId.slice(0, 64),
    problems: signal.problems,
  });
  return { ignored: signal.problems };
}

type EventHandler = (
  event: EmployeeEvent,
  change: Omit<EmployeeChange, "employee" | "change">,
  context: Context,
) => Promise<Outcome>;

/**
 * Event-based: one event, no values; the employee is read back from BambooHR's API. Creation
 * is followed by an `employee.updated`, which carries the status: nothing to do on its own.
 */
const EVENT_TYPES: Readonly<Record<string, EventHandler>> = {
  "employee.created": async () => IGNORED,
  "employee.updated": async (event, change, context) => {
    const statusField = bambooHrField(context.mapping.statusField);
    if (!namesField(event.data.changedFields, statusField)) return IGNORED;
    // Only BambooHR's API knows the values: until it is configured, BambooHR retries (503).
    if (!(await context.readingBack())) {
      throw new CredentialsNotConfiguredError(
        "BAMBOOHR_API_SECRET_ID",
        "it still holds the placeholder: an event-based delivery names no values",
      );
    }
    const { employeeId } = event.data;
    const subject = context.mapping.subjectField === "" ? employeeId : undefined;
    return signalOf(employeeId, change, subject, context);
  },
  "employee.deleted": async (event, change, context) => {
    if (context.deletedMeans === "ignore") return IGNORED;
    const values = await readFromApi(event.data.employeeId, context);
    if (values === "unreadable") return fromLedger(event.data.employeeId, change, context);
    return mapped({ ...change, employee: values, change: "deleted" }, context);
  },
};

async function eventBased(event: EmployeeEvent, context: Context): Promise<Outcome> {
  const atMs = parseBambooHrInstant(event.timestamp) ?? 0;
  const employeeId = event.data.employeeId;
  const change = {
    // BambooHR sends no delivery id; a retry of this delivery is this same event.
    eventId: `${employeeId}-${event.type}-${Math.floor(atMs / 1000)}`,
    time: new Date(atMs).toISOString(),
    path: ["data"],
  };
  const handle = Object.hasOwn(EVENT_TYPES, event.type) ? EVENT_TYPES[event.type] : undefined;
  if (handle === undefined) {
    context.logger.warn("BambooHR event of an unknown type ignored", {
      employeeId,
      type: event.type.slice(0, 100),
    });
    return IGNORED;
  }
  return handle(event, change, context);
}

/**
 * A deleted employee's values from the API, while it can still read them; 404 and 403 mean it
 * cannot (the ledger is asked instead).
 */
async function readFromApi(
  employeeId: string,
  context: Context,
): Promise<EmployeeValues | "unreadable"> {
  try {
    const fields = fieldsRead(context.mapping).map((field) => field.alias);
    const record = await context.employees.readEmployee(employeeId, fields);
    return { employeeId, read: (field) => fieldText(ownValue(record, field.alias)) };
  } catch (error) {
    const unreadable =
      error instanceof NotFoundError || (error instanceof RejectedError && error.status === 403);
    if (!unreadable) throw error;
    return "unreadable";
  }
}

/**
 * A deleted employee the API can no longer read: offboarded by the platform ids the ledger
 * last resolved for the person. The ledger is keyed by subject, so this needs the subject to
 * be the employee id (BAMBOOHR_SUBJECT_FIELD empty).
 */
async function fromLedger(
  employeeId: string,
  change: Omit<EmployeeChange, "employee" | "change">,
  context: Context,
): Promise<Outcome> {
  const ignore = (why: string): Outcome => {
    context.logger.warn(`BambooHR employee deleted, but ${why}; offboard the person by hand`, {
      employeeId,
    });
    return IGNORED;
  };
  if (context.mapping.subjectField !== "") {
    return ignore("its subject comes from a field that can no longer be read");
  }
  if (context.people === undefined) return ignore("the webhook has no ledger to look it up in");
  const resolved = (await context.people.getPerson(employeeId))?.resolved;
  const userId = resolved?.accountPlatform?.userId;
  const osis = resolved?.osis;
  if (userId === undefined && osis === undefined) {
    return ignore("the ledger holds no platform ids for the person");
  }
  const result = validateLifecycleEvent(
    {
      specversion: "1.0",
      id: change.eventId,
      source: BAMBOOHR_SOURCE,
      type: "user.offboarded",
      time: change.time,
      subject: employeeId,
      data: {
        ...(userId !== undefined ? { accountPlatform: { userId } } : {}),
        ...(osis !== undefined ? { osis: { tenantId: osis.tenantId, userId: osis.userId } } : {}),
        reason: "BambooHR employee deleted (platform ids from the ledger)",
      },
    },
    "$",
    context.clock,
  );
  return result.ok ? { event: result.event } : ignore("its ledger ids do not make a valid event");
}

function mapped(
  change: EmployeeChange,
  context: Context,
): { event: LifecycleEvent } | { ignored: readonly ValidationProblem[] } {
  const result = mapEmployeeChange(change, context.mapping, context.clock);
  if (result.ok) return { event: result.event };
  context.logger.warn("BambooHR employee cannot become a lifecycle event; the change is ignored", {
    employeeId: change.employee.employeeId,
    problems: result.problems,
  });
  return { ignored: result.problems };
}

function ownValue(values: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
