import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BambooHrSimulator } from "../../../../local/simulators/bamboohr/bamboohr-simulator.ts";
import { listDeadLetters } from "../../../../shared/operator/dead-letters/list-dead-letters.ts";
import { redriveDeadLetters } from "../../../../shared/operator/dead-letters/redrive-dead-letters.ts";
import type { BambooHrApiCredentials } from "../../../../shared/runtime/credentials/secret-shapes.ts";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";
import {
  type BambooHrSignal,
  bambooHrSignal,
} from "../../../../shared/runtime/events/bamboohr-signal.ts";
import type { ConsumerEnvironment } from "../../../support/consumer-environment.ts";
import { useConsumerEnvironment } from "../../../support/consumer-suite.ts";
import { seedPerson } from "../../../support/people.ts";

/**
 * BambooHR signals read back by the consumer: against the BambooHR simulator over real HTTP,
 * with both platform simulators, fauxqs and dynalite. Retries are scaled down through the
 * consumer's own settings (1 s backoff, two attempts).
 */
const API_KEY = "bamboo-api-key-for-the-consumer-0123456789";
const TUNING: Record<string, string> = {
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "1",
  CONSUMER_MAX_ATTEMPTS: "2",
  CONSUMER_GUARD_THRESHOLD: "0",
  CONSUMER_GUARD_ONBOARD_THRESHOLD: "0",
  // A read and its retries share this one deadline: room for three quick answers on a busy machine.
  BAMBOOHR_API_TIMEOUT_MS: "5000",
  // The OSIS user by the employee's work e-mail (the seeded people's cd user id).
  BAMBOOHR_OSIS_CD_USER_FIELD: "workEmail",
};

let environment: ConsumerEnvironment;
let bamboohr: BambooHrSimulator;
const scenario = useConsumerEnvironment({
  started: (started) => {
    environment = started;
  },
});
beforeAll(async () => {
  bamboohr = await BambooHrSimulator.start({ apiKeys: [API_KEY] });
});
afterEach(() => {
  bamboohr.faults.reset();
  bamboohr.calls.clear();
});
afterAll(async () => {
  await bamboohr.stop();
});

function withBambooHr(
  env: Record<string, string> = {},
  api = new StaticCredentialSource<BambooHrApiCredentials | undefined>({
    apiKey: API_KEY,
    companyDomain: "acme",
  }),
) {
  return scenario({ ...TUNING, BAMBOOHR_API_URL: bamboohr.url, ...env }, { bamboohrApi: api });
}

/** A person on both platforms, and the same person as a BambooHR employee (id = subject). */
function employee(status: "Active" | "Inactive", enabled: boolean) {
  const subject = String(700_000 + Math.floor(Math.random() * 99_999));
  const person = seedPerson(environment, subject, { enabled });
  bamboohr.seedEmployee({
    id: subject,
    status,
    employeeNumber: `ext-${subject}`,
    workEmail: `cd-${subject}`,
  });
  return person;
}

/** What the webhook enqueues for a status change: "employee E changed", received at `atMs`. */
const signal = (employeeId: string, atMs: number): BambooHrSignal =>
  bambooHrSignal({
    id: `${employeeId}-${randomUUID().slice(0, 8)}`,
    employeeId,
    subject: employeeId,
    receivedAtMs: atMs,
  });

describe("BambooHR signals, read back by the consumer", () => {
  it("a retried older delivery restates what HR says now: the terminated person stays off", async () => {
    const s = await withBambooHr();
    const person = employee("Active", true);
    const now = Date.now();
    // HR terminates the person; the termination's signal is applied.
    bamboohr.setEmployee(person.subject, { status: "Inactive" });
    await s.send(signal(person.subject, now - 60_000));
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);

    // BambooHR's retry of an older delivery (the earlier "Active" change), signed anew and
    // received after: it reads the employee again, finds Inactive, and changes nothing.
    await s.send(signal(person.subject, now));
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
    expect(person.osisActive()).toBe(false);
    expect(s.outcomesOf(person.subject).map((o) => [o.outcome, o.eventType])).toEqual([
      ["applied", "user.offboarded"],
      ["applied", "user.offboarded"],
    ]);
    // Each read asked for the mapped fields by API alias, with the API key as Basic user name.
    const reads = bamboohr.calls.all();
    expect(reads.map((call) => [call.operation, call.status])).toEqual([
      ["getEmployee", 200],
      ["getEmployee", 200],
    ]);
    expect(reads[0]?.path).toBe(`/api/v1/employees/${person.subject}`);
  });

  it("decides with the signal's time, whatever HR's values: an applied newer event keeps it stale", async () => {
    const s = await withBambooHr();
    const person = employee("Active", false);
    const early = signal(person.subject, Date.now() - 120_000);
    const late = signal(person.subject, Date.now() - 60_000);
    await s.send(late);
    await s.drain();
    expect(person.accountEnabled()).toBe(true);
    await s.send(early);
    await s.drain();
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["applied", "stale"]);
  });

  it("waits for an employee it cannot read (never guessed), and dead-letters the signal itself at the limit", async () => {
    const s = await withBambooHr();
    const person = employee("Inactive", true);
    bamboohr.faults.add({ operation: "getEmployee", status: 404, times: 10 });
    const sent = signal(person.subject, Date.now());
    await s.send(sent);
    await s.drain();
    expect(person.accountEnabled()).toBe(true);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual([
      "retried",
      "dead_lettered",
    ]);
    const listed = await listDeadLetters({ sqs: environment.sqs, dlqUrl: s.dlqUrl });
    const [letter] = listed.entries;
    expect(JSON.parse(letter?.body ?? "{}")).toEqual(sent);
    expect(letter?.failure.reason).toBe("retries_exhausted");
    expect(letter?.failure.detail).toMatch(/never guessed/);

    // Once BambooHR lets the key read the employee, the redriven signal reads it again.
    bamboohr.faults.reset();
    const report = await redriveDeadLetters({
      sqs: environment.sqs,
      queueUrl: s.queueUrl,
      dlqUrl: s.dlqUrl,
      ledger: environment.ledger,
      audit: { write: async () => {} },
      selection: {},
      dryRun: false,
      includeStale: false,
      waitTimeSeconds: 0,
    });
    expect(report.outcomes.map((o) => o.kind)).toEqual(["moved"]);
    await s.drain();
    expect(person.accountEnabled()).toBe(false);
  });

  it("honours BambooHR's 429 Retry-After, then applies; reads the API key only when first needed", async () => {
    const api = new StaticCredentialSource<BambooHrApiCredentials | undefined>({
      apiKey: API_KEY,
      companyDomain: "acme",
    });
    const s = await withBambooHr({}, api);
    expect(api.reads).toBe(0);
    const person = employee("Inactive", true);
    bamboohr.faults.add({ operation: "getEmployee", status: 429, retryAfter: "30", times: 1 });
    await s.send(signal(person.subject, Date.now()));
    const [message] = await s.receive();
    if (message === undefined) throw new Error("no message");
    await s.invoke([message]);
    expect(api.reads).toBeGreaterThan(0);
    expect(s.outcomesOf(person.subject).map((o) => o.outcome)).toEqual(["retried"]);
    // The record comes back no sooner than BambooHR asked.
    expect(s.visibilityChanges.at(-1)?.visibilityTimeout).toBeGreaterThanOrEqual(30);
    expect(person.accountEnabled()).toBe(true);
  });

  it("opens BambooHR's own breaker when it stops answering: signals then wait without calling it", async () => {
    const s = await withBambooHr({ CONSUMER_BREAKER_FAILURES: "3" });
    const person = employee("Inactive", true);
    bamboohr.faults.add({ operation: "getEmployee", status: 503, times: 100 });
    await s.send(signal(person.subject, Date.now()));
    const [first] = await s.receive();
    if (first === undefined) throw new Error("no message");
    await s.invoke([first]);
    // One attempt: the read and its two retries, three outage signs in a row.
    expect(bamboohr.calls.all()).toHaveLength(3);
    await s.invoke([first]);
    expect(bamboohr.calls.all()).toHaveLength(3);
    expect(s.outcomesOf(person.subject).map((o) => [o.outcome, o.cause])).toEqual([
      ["retried", "transient"],
      ["retried", "platform_unavailable"],
    ]);
    expect(person.accountEnabled()).toBe(true);
  });

  it("in a dry run, plans by what HR says now and keeps the signal itself for the redrive", async () => {
    const s = await withBambooHr({ DRY_RUN: "true" });
    const person = employee("Inactive", true);
    const sent = signal(person.subject, Date.now());
    await s.send(sent);
    await s.drain();
    expect(person.accountEnabled()).toBe(true);
    const { entries } = await listDeadLetters({ sqs: environment.sqs, dlqUrl: s.dlqUrl });
    expect(entries.map((entry) => JSON.parse(entry.body))).toEqual([sent]);
    expect(entries[0]?.failure.reason).toBe("dry_run");
    expect(entries[0]?.failure.detail).toMatch(/would disable/);
  });
});
