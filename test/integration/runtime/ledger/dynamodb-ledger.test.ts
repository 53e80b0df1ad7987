import { beforeAll, describe, expect, it } from "vitest";
import { ClaimLostError } from "../../../../shared/runtime/errors/claim-lost-error.ts";
import { DynamoDbLedger } from "../../../../shared/runtime/ledger/dynamodb-ledger.ts";
import { useLedgerTables } from "../../../support/ledger-tables.ts";

const dynamodb = useLedgerTables();
let ledger: DynamoDbLedger;

beforeAll(async () => {
  const tableName = await dynamodb.freshTable("ledger");
  ledger = new DynamoDbLedger({ client: dynamodb.client(), tableName, pageSize: 2 });
});

describe("DynamoDbLedger", () => {
  it("gives a person's claim to one owner at a time, until it is released or expires", async () => {
    const now = 1_000_000;
    const first = await ledger.claim("p-claim", { owner: "a", expiresAt: now + 60_000, now });
    expect(first.claimed).toBe(true);
    const second = await ledger.claim("p-claim", { owner: "b", expiresAt: now + 60_000, now });
    expect(second).toEqual({ claimed: false, expiresAt: now + 60_000 });

    if (!first.claimed) throw new Error("unreachable");
    await ledger.release({ ...first.record, desiredEnabled: false }, "a");
    const third = await ledger.claim("p-claim", { owner: "c", expiresAt: now + 1_000, now });
    expect(third.claimed && third.record.desiredEnabled).toBe(false);

    const takeover = await ledger.claim("p-claim", {
      owner: "d",
      expiresAt: now + 70_000,
      now: now + 1_000,
    });
    expect(takeover.claimed).toBe(true);
  });

  it("refuses writes from an owner whose claim was taken over", async () => {
    const now = 2_000_000;
    const mine = await ledger.claim("p-lost", { owner: "a", expiresAt: now + 10, now });
    if (!mine.claimed) throw new Error("expected the claim");
    await ledger.claim("p-lost", { owner: "b", expiresAt: now + 60_000, now: now + 10 });
    await expect(ledger.save(mine.record, "a")).rejects.toBeInstanceOf(ClaimLostError);
    await expect(ledger.release(mine.record, "a")).rejects.toBeInstanceOf(ClaimLostError);
    expect((await ledger.getPerson("p-lost"))?.claim?.owner).toBe("b");
  });

  it("stores the record as written and lists every person page by page", async () => {
    const now = 3_000_000;
    for (const subject of ["p-list-1", "p-list-2", "p-list-3"]) {
      const claim = await ledger.claim(subject, { owner: "o", expiresAt: now + 1_000, now });
      if (!claim.claimed) throw new Error("expected the claim");
      await ledger.release(
        {
          ...claim.record,
          newestApplied: {
            source: "urn:hr",
            id: `e-${subject}`,
            type: "user.offboarded",
            time: 1_700_000_000_123,
            appliedAt: now,
          },
          resolved: { accountPlatform: { userId: "u-1" } },
        },
        "o",
      );
    }
    const stored = await ledger.getPerson("p-list-2");
    expect(stored).toMatchObject({
      subject: "p-list-2",
      newestApplied: { id: "e-p-list-2", time: 1_700_000_000_123 },
      resolved: { accountPlatform: { userId: "u-1" } },
      history: [],
    });
    expect(stored?.claim).toBeUndefined();
    expect(typeof stored?.newestApplied?.time).toBe("number");

    const subjects: string[] = [];
    for await (const person of ledger.listPeople()) subjects.push(person.subject);
    expect(subjects).toEqual(expect.arrayContaining(["p-list-1", "p-list-2", "p-list-3"]));
    expect(await ledger.getPerson("nobody")).toBeUndefined();
  });
});
