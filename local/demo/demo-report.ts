import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type { RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import type { ExpectedOutcome } from "./demo-script.ts";
import type { DemoResult } from "./run-demo.ts";

/** The demo's printout: what happened to each event, then where each person ended up. */
export function renderDemoReport(result: DemoResult): string {
  const events = formatTable(
    ["#", "event", "subject", "via", "what it shows", "outcome"],
    result.events.map(({ step, outcome, asExpected }, index) => [
      index + 1,
      step.event.type.replace("user.", ""),
      step.event.subject,
      step.via,
      step.title,
      `${describeOutcome(outcome)}${asExpected ? "" : `  (expected ${describeExpected(step.expected)})`}`,
    ]),
    { maxCellWidth: 70 },
  );
  const people = formatTable(
    ["login", "name", "account platform", "OSIS", "OSIS S3 keys"],
    result.people.map(({ person, accountEnabled, accountVersion, osisActive, osisKeys }) => [
      person.login,
      `${person.firstName} ${person.lastName}`,
      accountEnabled === undefined
        ? "missing"
        : `${accountEnabled ? "enabled" : "disabled"} (version ${accountVersion})`,
      osisActive === undefined ? "not on OSIS" : osisActive ? "active" : "inactive",
      describeKeys(osisKeys),
    ]),
  );
  const unexpected = result.events.filter((event) => !event.asExpected).length;
  return [
    "What happened to each event:",
    "",
    events,
    "",
    "Where each demo person ended up:",
    "",
    people,
    "",
    `The dead-letter queue holds ${result.deadLetters} message${result.deadLetters === 1 ? "" : "s"}, each with its reason; on a running stack \`npm run lifecycle -- dlq list\` shows them.`,
    unexpected === 0
      ? "Every event ended as the script expected."
      : `${unexpected} event${unexpected === 1 ? "" : "s"} did not end as the script expected.`,
    "",
  ].join("\n");
}

export function describeOutcome(outcome: RecordOutcome | undefined): string {
  if (outcome === undefined) return "no outcome (still queued)";
  switch (outcome.outcome) {
    case "applied":
      return outcome.written && outcome.written.length > 0
        ? `applied (wrote ${outcome.written.join(", ")})`
        : "applied (already so)";
    case "scheduled":
      return `scheduled for ${outcome.effectiveAt ?? "later"}; never applied`;
    case "dead_lettered": {
      const where = [
        outcome.target,
        outcome.status !== undefined && outcome.status >= 400
          ? `HTTP ${outcome.status}`
          : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(", ");
      return `DLQ: ${outcome.reason ?? "unknown"}${where ? ` (${where})` : ""}`;
    }
    default:
      return outcome.outcome;
  }
}

function describeKeys({ active, inactive }: { active: number; inactive: number }): string {
  if (active + inactive === 0) return "none";
  return [active > 0 ? `${active} active` : "", inactive > 0 ? `${inactive} inactive` : ""]
    .filter((part) => part !== "")
    .join(", ");
}

function describeExpected(expected: ExpectedOutcome): string {
  return expected.outcome === "dead_lettered" ? `DLQ: ${expected.reason}` : expected.outcome;
}
