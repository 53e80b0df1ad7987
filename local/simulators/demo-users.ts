/**
 * The demo people `npm start` seeds into both simulators (listed in README.md). Their ids are
 * fixed so documentation and demos can name them; `jdoe` and `jdoe2` collide by prefix so a
 * login lookup must be exact, and `ojones` lives in another tenant (outside_tenant demos).
 */
import type { AccountPlatformUser } from "../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { OsisUser } from "../../shared/runtime/platforms/osis/osis.ts";
import type { AccountPlatformSimulator } from "./account-platform/account-platform-simulator.ts";
import type { BambooHrSimulator } from "./bamboohr/bamboohr-simulator.ts";
import type { OsisSimulator } from "./osis/osis-simulator.ts";

/** The account platform tenant the demo stack is configured with (ACCOUNT_PLATFORM_TENANT_ID). */
export const DEMO_ACCOUNT_TENANT_ID = "ede9f834-70b3-476c-83d9-736f9f8c7dae";
/** Another account platform tenant: its users are outside the configured one. */
export const DEMO_OTHER_ACCOUNT_TENANT_ID = "7d3f5a2e-1b4c-4e8a-9f60-2c5b8d1e4a73";
/** The OSIS platform tenant holding the demo users (events name it as `osis.tenantId`). */
export const DEMO_OSIS_TENANT_ID = "bb8287a9-874e-46d2-abbd-58278e1ac046";
/** The OSIS cd tenant (OSIS_CD_TENANT_ID), used when an event gives only `cdUserId`. */
export const DEMO_OSIS_CD_TENANT_ID = "40b97e3c-c3b1-4251-b7de-e9637324683f";

export interface DemoPerson {
  /** Account platform login, and OSIS cd_user_id and user_id (when `inOsis`). */
  login: string;
  /**
   * BambooHR employee id, and so the person's subject: the webhook takes the subject from the
   * employee id (BAMBOOHR_SUBJECT_FIELD empty), so the demo and every example do too.
   */
  employeeId: string;
  /** HR employee number (BambooHR `Employee #`): the account platform's external_id. */
  externalId: string;
  accountUserId: string;
  accountTenantId: string;
  firstName: string;
  lastName: string;
  email: string;
  /** false: already offboarded on both platforms. */
  enabled: boolean;
  inOsis: boolean;
  /** Access key ids of the person's OSIS S3 keys (active, each with its own secret key). */
  s3AccessKeys: readonly string[];
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  person("jdoe", "1001", "1c234e69-5469-424a-a6d1-ff5658b387a6", "John", "Doe", {
    s3AccessKeys: ["AKJDOE00000000000001", "AKJDOE00000000000002"],
  }),
  person("jdoe2", "1002", "4f6a1c0e-8d2b-4b7e-a3c5-9e1f2d7b6a10", "Jane", "Doerr"),
  person("asmith", "1003", "9b2e7d41-3c5a-4f8e-b6d0-1a7c4e2f9b35", "Alice", "Smith"),
  person("bchen", "1004", "c7a4e2b9-6f1d-4a3c-8e5b-0d9f7c2a1e64", "Bo", "Chen"),
  person("mgarcia", "1005", "e3d9b6a2-0c7f-4e1b-9a8d-5f2c4b7e0d81", "Maria", "Garcia", {
    enabled: false,
  }),
  person("ojones", "2001", "2a8c5f1e-7b4d-4c9a-b0e3-6d1f8a5c2e97", "Olivia", "Jones", {
    accountTenantId: DEMO_OTHER_ACCOUNT_TENANT_ID,
    inOsis: false,
  }),
];

export interface SeededDemoPerson {
  person: DemoPerson;
  accountUser: AccountPlatformUser;
  osisUser: OsisUser | undefined;
}

export function seedDemoUsers(
  accountPlatform: AccountPlatformSimulator,
  osis: OsisSimulator,
): SeededDemoPerson[] {
  accountPlatform.seedTenant({ id: DEMO_ACCOUNT_TENANT_ID, name: "Acme Corp" });
  accountPlatform.seedTenant({ id: DEMO_OTHER_ACCOUNT_TENANT_ID, name: "Globex Corp" });
  const osisUsers = seedDemoOsisPeople(osis);
  return DEMO_PEOPLE.map((demo) => ({
    person: demo,
    accountUser: accountPlatform.seedUser({
      id: demo.accountUserId,
      login: demo.login,
      tenant_id: demo.accountTenantId,
      external_id: demo.externalId,
      enabled: demo.enabled,
      contact: { email: demo.email, firstname: demo.firstName, lastname: demo.lastName },
    }),
    osisUser: osisUsers.get(demo.login),
  }));
}

/** The demo people who are in OSIS, with their S3 keys (active as the person is), by login. */
export function seedDemoOsisPeople(osis: OsisSimulator): Map<string, OsisUser> {
  const seeded = new Map<string, OsisUser>();
  for (const demo of DEMO_PEOPLE.filter((person) => person.inOsis)) {
    const user = osis.seedUser({
      tenant_id: DEMO_OSIS_TENANT_ID,
      cd_tenant_id: DEMO_OSIS_CD_TENANT_ID,
      cd_user_id: demo.login,
      user_id: demo.login,
      username: demo.login,
      email: demo.email,
      role: "TENANT_USER",
      active: demo.enabled,
    });
    seeded.set(demo.login, user);
    for (const accessKey of demo.s3AccessKeys) {
      osis.seedCredential({
        tenant_id: DEMO_OSIS_TENANT_ID,
        user_id: demo.login,
        access_key: accessKey,
        active: demo.enabled,
      });
    }
  }
  return seeded;
}

/**
 * The demo people as BambooHR employees: `status` Active / Inactive as they are enabled,
 * `employeeNumber` their external id (the default BAMBOOHR_EXTERNAL_ID_FIELD, `Employee #`),
 * `workEmail` their e-mail.
 */
export function seedDemoEmployees(bamboohr: BambooHrSimulator): void {
  for (const demo of DEMO_PEOPLE) {
    bamboohr.seedEmployee({
      id: demo.employeeId,
      status: demo.enabled ? "Active" : "Inactive",
      employeeNumber: demo.externalId,
      workEmail: demo.email,
      firstName: demo.firstName,
      lastName: demo.lastName,
      terminationDate: null,
    });
  }
}

function person(
  login: string,
  employeeId: string,
  accountUserId: string,
  firstName: string,
  lastName: string,
  overrides: Partial<DemoPerson> = {},
): DemoPerson {
  return {
    login,
    employeeId,
    externalId: `emp-${employeeId}`,
    accountUserId,
    accountTenantId: DEMO_ACCOUNT_TENANT_ID,
    firstName,
    lastName,
    email: `${login}@acme.example`,
    enabled: true,
    inOsis: true,
    s3AccessKeys: [],
    ...overrides,
  };
}
