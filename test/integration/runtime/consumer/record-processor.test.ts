import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadConsumerConfig } from "../../../../shared/runtime/consumer/consumer-config.ts";
import { importEventValidation } from "../../../../shared/runtime/consumer/event-validation-loader.ts";
import {
  type RecordContext,
  RecordProcessor,
  type RecordProcessorDependencies,
} from "../../../../shared/runtime/consumer/record-processor.ts";
import type { DeadLetter } from "../../../../shared/runtime/dlq/dead-letter-message.ts";
import { HeldByGuardError } from "../../../../shared/runtime/errors/held-by-guard-error.ts";
import {
  NotFoundError,
  UnavailableError,
  VersionConflictError,
} from "../../../../shared/runtime/errors/platform-errors.ts";
import type { PlatformWriteGate } from "../../../../shared/runtime/guard/write-gate.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import type { PersonLedger } from "../../../../shared/runtime/ledger/person-ledger.ts";
import { createLogger } from "../../../../shared/runtime/logging/logger.ts";
import type {
  AccountPlatform,
  AccountPlatformUser,
} from "../../../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { OsisPlatform, OsisUser } from "../../../../shared/runtime/platforms/osis/osis.ts";
import { ScimLinkStore } from "../../../../shared/runtime/scim-service/scim-link-store.ts";
import { useLedgerTables } from "../../../support/ledger-tables.ts";
import { offboard, onboard } from "../../../support/lifecycle-events.ts";

/**
 * The per-record steps against the platform interfaces, with the ledger on dynalite. The
 * platforms are small stubs of the interfaces: these tests pin down decisions (how many
 * re-reads, which calls are skipped), the integration tests run the same steps over HTTP.
 */

const USER_ID = "1c234e69-5469-424a-a6d1-ff5658b387a6";
const dynamodb = useLedgerTables();
let ledger: DynamoDbLedger;
let scimItems: ScimLinkStore;

beforeAll(async () => {
  const tableName = await dynamodb.freshTable("ledger-unit");
  ledger = new DynamoDbLedger({ client: dynamodb.client(), tableName });
  scimItems = new ScimLinkStore({ client: dynamodb.client(), tableName });
});

function accountPlatformStub(user: Partial<AccountPlatformUser> = {}) {
  let current: AccountPlatformUser = {
    id: USER_ID,
    version: 1,
    tenant_id: "tenant-main",
    login: "jdoe",
    enabled: true,
    ...user,
  };
  const platform = {
    getUser: vi.fn(async () => ({ ...current })),
    setEnabled: vi.fn(async (_id: string, enabled: boolean, version: number) => {
      if (version !== current.version) {
        throw new VersionConflictError("conflict", {
          platform: "account-platform",
          operation: "setEnabled",
          status: 409,
        });
      }
      current = { ...current, enabled, version: version + 1 };
      return { ...current };
    }),
    findByExternalId: vi.fn(async () => ({ ...current })),
    findByLogin: vi.fn(async () => current.id),
  } satisfies AccountPlatform;
  return { platform, bump: () => (current = { ...current, version: current.version + 1 }) };
}

function osisStub() {
  let current: OsisUser = {
    tenant_id: "t",
    user_id: "u",
    cd_user_id: "cd",
    cd_tenant_id: "cd-main",
    active: true,
  };
  return {
    getUser: vi.fn(async () => ({ ...current })),
    queryUsers: vi.fn(async () => [{ ...current }]),
    setActive: vi.fn(async (_t: string, _u: string, active: boolean) => {
      current = { ...current, active };
      return { ...current };
    }),
    // No S3 keys: the keys step lists none and writes none.
    listKeys: vi.fn(async () => []),
    setKeysActive: vi.fn(async () => ({ listed: [], written: [] })),
  } satisfies OsisPlatform;
}

const config = loadConsumerConfig({
  QUEUE_URL: "http://127.0.0.1:1/q.fifo",
  DLQ_URL: "http://127.0.0.1:1/dlq.fifo",
  LEDGER_TABLE: "ledger-unit",
  ACCOUNT_PLATFORM_URL: "http://127.0.0.1:2",
  ACCOUNT_PLATFORM_TENANT_ID: "tenant-main",
  OSIS_URL: "http://127.0.0.1:3",
  OSIS_CD_TENANT_ID: "cd-main",
  CONSUMER_VERSION_CONFLICT_RETRIES: "2",
});

function processor(overrides: Partial<RecordProcessorDependencies>) {
  const sent: DeadLetter[] = [];
  const deps: RecordProcessorDependencies = {
    config,
    ledger,
    accountPlatform: accountPlatformStub().platform,
    osis: osisStub(),
    deadLetters: { send: async (deadLetter) => sent.push(deadLetter) },
    logger: createLogger({ sink: () => {} }),
    conflictDelayMs: 1,
    ...overrides,
  };
  return { processor: new RecordProcessor(deps), sent };
}

let messageCounter = 0;
function recordOf(body: unknown) {
  messageCounter += 1;
  return {
    messageId: `m-${messageCounter}`,
    receiptHandle: `r-${messageCounter}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: { MessageGroupId: "g" },
  };
}

const context = (): RecordContext => ({
  invocationId: `inv-${messageCounter}`,
  claimExpiresAt: Date.now() + 60_000,
  signal: new AbortController().signal,
  logger: createLogger({ sink: () => {} }),
});

describe("RecordProcessor", () => {
  it("re-reads a bounded number of times on version conflicts, then dead-letters", async () => {
    const account = accountPlatformStub();
    account.platform.setEnabled.mockImplementation(async () => {
      account.bump();
      throw new VersionConflictError("conflict", {
        platform: "account-platform",
        operation: "setEnabled",
        status: 409,
      });
    });
    const { processor: p, sent } = processor({ accountPlatform: account.platform });
    const result = await p.process(
      recordOf(offboard("unit-conflict", { accountPlatform: { userId: USER_ID } })),
      context(),
    );
    expect(result).toMatchObject({ outcome: "dead_lettered", reason: "version_conflict" });
    expect(account.platform.setEnabled).toHaveBeenCalledTimes(3);
    expect(account.platform.getUser).toHaveBeenCalledTimes(3);
    expect(sent).toHaveLength(1);
  });

  it("writes the ledger four times per applied event; a lost completion write is redone without platform writes", async () => {
    const account = accountPlatformStub();
    const osis = osisStub();
    const writes: string[] = [];
    let failRelease = true;
    const countingLedger: PersonLedger = {
      getPerson: (subject) => ledger.getPerson(subject),
      listPeople: () => ledger.listPeople(),
      claim: async (subject, claim) => {
        writes.push("claim");
        return ledger.claim(subject, claim);
      },
      save: async (record, owner) => {
        writes.push("save");
        return ledger.save(record, owner);
      },
      release: async (record, owner) => {
        writes.push("release");
        if (failRelease && record.inProgress === undefined) {
          failRelease = false;
          throw new Error("ledger unavailable");
        }
        return ledger.release(record, owner);
      },
      putChange: (change) => ledger.putChange(change),
      deleteChange: (subject, key) => ledger.deleteChange(subject, key),
      rememberAccountUser: (userId, subject) => ledger.rememberAccountUser(userId, subject),
    };
    const { processor: p } = processor({
      ledger: countingLedger,
      accountPlatform: account.platform,
      osis,
    });
    const data = { accountPlatform: { userId: USER_ID }, osis: { tenantId: "t", userId: "u" } };
    const record = recordOf(offboard("unit-ledger-writes", data));

    expect(await p.process(record, context())).toMatchObject({ outcome: "retried" });
    // claim, attempt started, account platform done; OSIS done rides on the completion write.
    expect(writes.slice(0, 4)).toEqual(["claim", "save", "save", "release"]);
    expect(account.platform.setEnabled).toHaveBeenCalledTimes(1);
    expect(osis.setActive).toHaveBeenCalledTimes(1);

    writes.length = 0;
    expect(await p.process(record, context())).toMatchObject({
      outcome: "applied",
      written: [],
    });
    expect(account.platform.setEnabled).toHaveBeenCalledTimes(1);
    expect(osis.setActive).toHaveBeenCalledTimes(1);
    expect(await ledger.getPerson("unit-ledger-writes")).toMatchObject({
      desiredEnabled: false,
      resolved: { accountPlatform: { userId: USER_ID }, osis: { tenantId: "t", userId: "u" } },
    });
  });

  it("reads both platforms at once, and reports a failed read in target order", async () => {
    const account = accountPlatformStub();
    const osis = osisStub();
    let bothReading = false;
    account.platform.getUser.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      bothReading = osis.getUser.mock.calls.length === 1;
      throw new NotFoundError("no such user", {
        platform: "account-platform",
        operation: "getUser",
        status: 404,
      });
    });
    osis.getUser.mockRejectedValue(
      new UnavailableError("down", { platform: "osis", operation: "getUser", status: 503 }),
    );
    const { processor: p } = processor({ accountPlatform: account.platform, osis });
    const data = { accountPlatform: { userId: USER_ID }, osis: { tenantId: "t", userId: "u" } };
    const result = await p.process(recordOf(offboard("unit-read-order", data)), context());
    expect(bothReading).toBe(true);
    expect(result).toMatchObject({
      outcome: "dead_lettered",
      reason: "not_found",
      target: "account-platform",
    });
    expect(osis.setActive).not.toHaveBeenCalled();
  });

  it("opens the write gate once per event, only when something changes", async () => {
    const gate = { beforeFirstWrite: vi.fn(async () => {}) } satisfies PlatformWriteGate;
    const { processor: p } = processor({ writeGate: gate });
    const data = { accountPlatform: { userId: USER_ID }, osis: { tenantId: "t", userId: "u" } };
    await p.process(recordOf(offboard("unit-gate", data)), context());
    expect(gate.beforeFirstWrite).toHaveBeenCalledTimes(1);

    const unchanged = processor({
      writeGate: gate,
      accountPlatform: accountPlatformStub({ enabled: false }).platform,
    });
    await unchanged.processor.process(
      recordOf(offboard("unit-gate-2", { accountPlatform: { userId: USER_ID } })),
      context(),
    );
    expect(gate.beforeFirstWrite).toHaveBeenCalledTimes(1);
  });

  it("a write gate refusal stops the event before any write", async () => {
    const account = accountPlatformStub();
    const gate: PlatformWriteGate = {
      beforeFirstWrite: async () => {
        throw new HeldByGuardError("the guard holds offboards");
      },
    };
    const { processor: p, sent } = processor({
      accountPlatform: account.platform,
      writeGate: gate,
    });
    const result = await p.process(
      recordOf(offboard("unit-gate-refused", { accountPlatform: { userId: USER_ID } })),
      context(),
    );
    expect(result).toMatchObject({ outcome: "dead_lettered", reason: "held_by_guard" });
    expect(sent).toEqual([expect.objectContaining({ reason: "held_by_guard" })]);
    expect(account.platform.setEnabled).not.toHaveBeenCalled();
  });

  it("after a failed DLQ send, the redelivery sends the same dead letter without new platform calls", async () => {
    const account = accountPlatformStub({ tenant_id: "elsewhere" });
    let fail = true;
    const sent: DeadLetter[] = [];
    const { processor: p } = processor({
      accountPlatform: account.platform,
      deadLetters: {
        send: async (deadLetter) => {
          if (fail) throw new Error("SQS unavailable");
          sent.push(deadLetter);
        },
      },
    });
    const record = recordOf(offboard("unit-resend", { accountPlatform: { userId: USER_ID } }));
    const first = await p.process(record, context());
    expect(first).toMatchObject({ outcome: "retried", cause: "dead_letter_send_failed" });
    const calls = account.platform.getUser.mock.calls.length;

    fail = false;
    const second = await p.process(record, context());
    expect(second).toMatchObject({ outcome: "dead_lettered", reason: "outside_tenant" });
    expect(account.platform.getUser.mock.calls.length).toBe(calls);
    expect(sent).toEqual([
      expect.objectContaining({ attempt: 1, sourceMessageId: record.messageId, body: record.body }),
    ]);
    const person = await ledger.getPerson("unit-resend");
    expect(person?.inProgress).toBeUndefined();
    expect(person?.claim).toBeUndefined();
  });

  it("a held claim is retried without counting an attempt", async () => {
    const event = offboard("unit-held", { accountPlatform: { userId: USER_ID } });
    const now = Date.now();
    await ledger.claim(event.subject, { owner: "someone", expiresAt: now + 60_000, now });
    const { processor: p } = processor({});
    const result = await p.process(recordOf(event), context());
    expect(result).toMatchObject({ outcome: "retried", cause: "claim_held" });
    expect((await ledger.getPerson(event.subject))?.inProgress).toBeUndefined();
  });

  it("remembers the subject of the first event that resolved an account user, once per person, never a SCIM subject", async () => {
    const userId = "5d0e1f2a-3b4c-4d5e-8f60-718293a4b5c6";
    const account = accountPlatformStub({ id: userId });
    const { processor: p } = processor({ accountPlatform: account.platform });
    const remembered = vi.spyOn(ledger, "rememberAccountUser");
    const target = { accountPlatform: { userId } };

    await p.process(recordOf(offboard(`scim:${userId}`, target)), context());
    expect(await scimItems.rememberedSubject(userId)).toBeUndefined();

    await p.process(recordOf(onboard("emp-77", target)), context());
    await p.process(recordOf(offboard("emp-77", target)), context());
    expect(await scimItems.rememberedSubject(userId)).toBe("emp-77");
    expect(remembered.mock.calls).toEqual([[userId, "emp-77"]]);
    expect((await ledger.getPerson("emp-77"))?.rememberedAccountUserId).toBe(userId);

    await p.process(recordOf(onboard("emp-88", target)), context());
    expect(await scimItems.rememberedSubject(userId)).toBe("emp-77");
    remembered.mockRestore();
  });
});

describe("the event's validation, loaded at the first record", () => {
  const target = { accountPlatform: { userId: USER_ID } };

  it("is imported once, at the first record, and validates every record as before", async () => {
    const importValidation = vi.fn(importEventValidation);
    const { processor: p, sent } = processor({ importEventValidation: importValidation });
    expect(importValidation).not.toHaveBeenCalled();

    const applied = await p.process(recordOf(offboard("unit-load-once", target)), context());
    expect(applied).toMatchObject({ outcome: "applied" });
    const invalid = { ...offboard("unit-load-once", target), specversion: "0.3" };
    expect(await p.process(recordOf(invalid), context())).toMatchObject({
      outcome: "dead_lettered",
      reason: "invalid_event",
      detail: '$.specversion must be "1.0"',
    });
    expect(sent).toEqual([expect.objectContaining({ reason: "invalid_event", attempt: 1 })]);
    expect(importValidation).toHaveBeenCalledTimes(1);
  });

  it("a failed load fails that record for now, before any claim; the next record loads it again", async () => {
    const importValidation = vi
      .fn(importEventValidation)
      .mockRejectedValueOnce(new Error("Cannot find module validation.ts"));
    const account = accountPlatformStub();
    const { processor: p, sent } = processor({
      accountPlatform: account.platform,
      importEventValidation: importValidation,
    });
    const event = offboard("unit-load-fails", target);

    expect(await p.process(recordOf(event), context())).toMatchObject({
      outcome: "retried",
      cause: "transient",
      eventId: event.id,
      subject: event.subject,
      attempts: 1,
      detail: "Cannot find module validation.ts",
    });
    expect(sent).toEqual([]);
    expect(account.platform.getUser).not.toHaveBeenCalled();
    expect(await ledger.getPerson(event.subject)).toBeUndefined();

    expect(await p.process(recordOf(event), context())).toMatchObject({ outcome: "applied" });
    expect(importValidation).toHaveBeenCalledTimes(2);
  });

  it("a load still failing at the attempt limit dead-letters the record as it came", async () => {
    const importValidation = vi.fn(() => Promise.reject(new Error("Cannot find module")));
    const { processor: p, sent } = processor({ importEventValidation: importValidation });
    const queued = recordOf(offboard("unit-load-exhausted", target));
    const attributes = { ...queued.attributes, ApproximateReceiveCount: `${config.maxAttempts}` };
    const record = { ...queued, attributes };

    expect(await p.process(record, context())).toMatchObject({
      outcome: "dead_lettered",
      reason: "retries_exhausted",
    });
    expect(sent).toEqual([
      expect.objectContaining({ reason: "retries_exhausted", body: record.body }),
    ]);
  });
});
