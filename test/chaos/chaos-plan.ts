import { mulberry32 } from "../../local/simulators/common/seeded-random.ts";
import type { LifecycleEventType } from "../../shared/contract/event-types.ts";

/**
 * The chaos test's workload, drawn from a seed: people, and the messages to send for them
 * (mixed offboards and onboards, some sent twice, some sent before an older one, some naming
 * users no platform knows). The same seed gives the same plan.
 */
export interface ChaosSettings {
  seed: number;
  /** Messages to send, duplicates included. */
  events: number;
  people: number;
}

export function chaosSettings(env: NodeJS.ProcessEnv = process.env): ChaosSettings {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number of at least 1 (got ${env[name]})`);
    }
    return value;
  };
  const settings = {
    seed: read("CHAOS_SEED", 20261123),
    events: read("CHAOS_EVENTS", 500),
    people: read("CHAOS_PEOPLE", 100),
  };
  if (settings.events < settings.people) {
    throw new Error("CHAOS_EVENTS must be at least CHAOS_PEOPLE (every person gets an event)");
  }
  return settings;
}

export interface PlannedPerson {
  subject: string;
  /** Known to neither platform: every event naming them must end in the DLQ. */
  ghost: boolean;
  /** Seeded state before the run. */
  initiallyEnabled: boolean;
}

/** An event without its `data`, which names the person's platform ids once they are seeded. */
export interface PlannedEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: LifecycleEventType;
  subject: string;
  time: string;
}

/** One message to send. A duplicate carries the same event as an earlier message. */
export interface PlannedMessage {
  event: PlannedEvent;
  duplicate: boolean;
}

export interface ChaosPlan {
  people: PlannedPerson[];
  /** Per person (subject), messages in send order. */
  messages: Map<string, PlannedMessage[]>;
  totals: { messages: number; duplicates: number; outOfOrder: number; ghosts: number };
}

const GHOST_SHARE = 0.05;
const DUPLICATE_SHARE = 0.06;
const OUT_OF_ORDER_SHARE = 0.15;
const START = Date.parse("2026-11-23T08:00:00Z");

export function planChaos(settings: ChaosSettings): ChaosPlan {
  const random = mulberry32(settings.seed);
  const ghosts = Math.max(1, Math.round(settings.people * GHOST_SHARE));
  const people: PlannedPerson[] = Array.from({ length: settings.people }, (_, index) => ({
    subject: `chaos-${settings.seed}-${index}`,
    ghost: index % Math.ceil(settings.people / ghosts) === 0,
    initiallyEnabled: random() < 0.5,
  }));
  const created = new Map<string, PlannedEvent[]>(people.map((person) => [person.subject, []]));
  const clocks = new Map(people.map((person) => [person.subject, START]));
  const messages = new Map<string, PlannedMessage[]>(people.map((p) => [p.subject, []]));
  let duplicates = 0;
  for (let index = 0; index < settings.events; index += 1) {
    // The first pass gives everyone an event; the rest go to anyone.
    const person =
      index < people.length ? people[index] : people[Math.floor(random() * people.length)];
    if (!person) throw new Error("no person drawn");
    const own = created.get(person.subject) ?? [];
    const queue = messages.get(person.subject) ?? [];
    const previous = own[Math.floor(random() * own.length)];
    if (previous && random() < DUPLICATE_SHARE) {
      queue.push({ event: previous, duplicate: true });
      duplicates += 1;
      continue;
    }
    const time = (clocks.get(person.subject) ?? START) + 1_000 + Math.floor(random() * 60_000);
    clocks.set(person.subject, time);
    const event: PlannedEvent = {
      specversion: "1.0",
      id: `evt-${settings.seed}-${index}`,
      source: "urn:chaos:hr",
      type: random() < 0.5 ? "user.offboarded" : "user.onboarded",
      subject: person.subject,
      time: new Date(time).toISOString(),
    };
    own.push(event);
    queue.push({ event, duplicate: false });
  }
  // Out of order: a message swapped with the one before it, so an older event arrives later.
  let outOfOrder = 0;
  for (const queue of messages.values()) {
    for (let index = 1; index < queue.length; index += 1) {
      if (random() < OUT_OF_ORDER_SHARE) {
        const [before, after] = [queue[index - 1], queue[index]];
        if (!before || !after) continue;
        queue[index - 1] = after;
        queue[index] = before;
        outOfOrder += 1;
      }
    }
  }
  return {
    people,
    messages,
    totals: {
      messages: settings.events,
      duplicates,
      outOfOrder,
      ghosts: people.filter((p) => p.ghost).length,
    },
  };
}

/** What the newest event (by time) of a person asked for: true = enabled. */
export function newestWish(messages: readonly PlannedMessage[]): boolean | undefined {
  let newest: PlannedEvent | undefined;
  for (const { event } of messages) {
    if (!newest || Date.parse(event.time) > Date.parse(newest.time)) newest = event;
  }
  return newest === undefined ? undefined : newest.type === "user.onboarded";
}
