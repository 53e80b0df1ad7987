import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";
import {
  DEMO_ACCOUNT_TENANT_ID,
  DEMO_OSIS_CD_TENANT_ID,
  DEMO_OSIS_TENANT_ID,
  DEMO_OTHER_ACCOUNT_TENANT_ID,
  DEMO_PEOPLE,
  seedDemoUsers,
} from "../../../../local/simulators/demo-users.ts";
import { OsisSimulator } from "../../../../local/simulators/osis/osis-simulator.ts";
import { accessToken, CLIENT } from "./helpers.ts";

let accounts: AccountPlatformSimulator;
let osis: OsisSimulator;

beforeAll(async () => {
  [accounts, osis] = await Promise.all([
    AccountPlatformSimulator.start({ clients: [CLIENT] }),
    OsisSimulator.start(),
  ]);
});
afterAll(async () => {
  await Promise.all([accounts.stop(), osis.stop()]);
});

describe("demo users", () => {
  it("seeds every demo person on the account platform, and those in OSIS with login = cd_user_id", async () => {
    const seeded = seedDemoUsers(accounts, osis);
    expect(seeded).toHaveLength(DEMO_PEOPLE.length);
    expect(DEMO_PEOPLE.length).toBeGreaterThanOrEqual(4);
    for (const { person, accountUser, osisUser } of seeded) {
      expect(accounts.user(person.accountUserId)).toMatchObject({
        login: person.login,
        external_id: person.externalId,
        tenant_id: person.accountTenantId,
        enabled: person.enabled,
      });
      expect(accountUser.id).toBe(person.accountUserId);
      if (person.inOsis) {
        expect(osis.user(DEMO_OSIS_TENANT_ID, person.login)).toMatchObject({
          cd_user_id: person.login,
          cd_tenant_id: DEMO_OSIS_CD_TENANT_ID,
          active: person.enabled,
        });
      } else {
        expect(osisUser).toBeUndefined();
      }
    }
    const outsiders = DEMO_PEOPLE.filter((p) => p.accountTenantId === DEMO_OTHER_ACCOUNT_TENANT_ID);
    expect(outsiders).toHaveLength(1);

    // jdoe and jdoe2 collide by prefix: a login lookup must be exact.
    const response = await fetch(
      `${accounts.url}/api/2/search?tenant=${DEMO_ACCOUNT_TENANT_ID}&text=jdoe`,
      {
        headers: { authorization: `Bearer ${await accessToken(accounts)}` },
      },
    );
    const { items } = (await response.json()) as { items: { obj_type: string; login?: string }[] };
    expect(items.filter((item) => item.obj_type === "user").map((item) => item.login)).toEqual([
      "jdoe",
      "jdoe2",
    ]);
  });
});
