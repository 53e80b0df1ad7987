import { mulberry32 } from "../local/simulators/common/seeded-random.ts";
import type { LifecycleEventType } from "../shared/contract/event-types.ts";

/** An event without its `data`, which names the person's platform ids once they are seeded. */
export interface PlannedEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: LifecycleEventType;
  subject: string;
  time: string;
}

/** A benchmark's people (all enabled and active before the run) and events, in send order. */
export interface Workload {
  name: string;
  people: string[];
  events: PlannedEvent[];
}

const START = Date.parse("2026-11-23T08:00:00Z");

function plannedEvent(
  subject: string,
  index: number,
  type: LifecycleEventType,
  time: number,
): PlannedEvent {
  return {
    specversion: "1.0",
    id: `bench-${index}`,
    source: "urn:bench:hr",
    type,
    subject,
    time: new Date(time).toISOString(),
  };
}

function subjects(people: number): string[] {
  return Array.from({ length: people }, (_, index) => `person-${index}`);
}

/** Every person offboarded once: the day a company closes a site. */
export function massOffboarding(people: number): Workload {
  const names = subjects(people);
  return {
    name: "mass offboarding",
    people: names,
    events: names.map((subject, index) =>
      plannedEvent(subject, index, "user.offboarded", START + index),
    ),
  };
}

/** Offboards and onboards mixed over people; each person's events in time order. */
export function mixed(events: number, people: number, seed = 1): Workload {
  const random = mulberry32(seed);
  const names = subjects(people);
  return {
    name: "mixed",
    people: names,
    events: Array.from({ length: events }, (_, index) => {
      const subject = names[index < people ? index : Math.floor(random() * people)] ?? "person-0";
      const type = random() < 0.5 ? "user.offboarded" : "user.onboarded";
      return plannedEvent(subject, index, type, START + index * 1_000);
    }),
  };
}
