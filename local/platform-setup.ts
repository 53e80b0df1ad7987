import { randomBytes } from "node:crypto";
import {
  givenPlatformFields,
  staticPlatformCredentials,
} from "../shared/operator/configuration/given-platforms.ts";
import { readSettings, type SettingValues } from "../shared/runtime/configuration/read-settings.ts";
import { type Environment, optionalText } from "../shared/runtime/configuration/setting-fields.ts";
import type {
  AccountPlatformCredentials,
  OsisCredentials,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { LOCAL_HOST, type LocalPorts } from "./local-ports.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { AccountPlatformSimulator } from "./simulators/account-platform/account-platform-simulator.ts";
import {
  DEMO_ACCOUNT_TENANT_ID,
  DEMO_OSIS_CD_TENANT_ID,
  DEMO_OTHER_ACCOUNT_TENANT_ID,
  DEMO_PEOPLE,
  seedDemoOsisPeople,
  seedDemoUsers,
} from "./simulators/demo-users.ts";
import { OsisSimulator } from "./simulators/osis/osis-simulator.ts";

export interface AccountPlatformSetup {
  /** The datacenter URL (ACCOUNT_PLATFORM_URL), without /api/2. */
  url: string;
  tenantId: string;
  simulated: boolean;
  credentials: AccountPlatformCredentials;
  simulator: AccountPlatformSimulator | undefined;
}

export interface OsisSetup {
  /** The origin (OSIS_URL). */
  url: string;
  basePath: string;
  cdTenantId: string;
  simulated: boolean;
  credentials: OsisCredentials;
  simulator: OsisSimulator | undefined;
}

export interface PlatformSetup {
  accountPlatform: AccountPlatformSetup;
  osis: OsisSetup;
}

type RealAccountPlatform = Omit<AccountPlatformSetup, "simulated" | "simulator">;
type RealOsis = Omit<OsisSetup, "simulated" | "simulator">;

export interface PlatformChoice {
  accountPlatform: RealAccountPlatform | undefined;
  osis: RealOsis | undefined;
}

/** What a real platform needs besides its URL. */
const REQUIRED_WITH_URL = {
  ACCOUNT_PLATFORM_URL: [
    "ACCOUNT_PLATFORM_TENANT_ID",
    "ACCOUNT_PLATFORM_CLIENT_ID",
    "ACCOUNT_PLATFORM_CLIENT_SECRET",
  ],
  OSIS_URL: ["OSIS_CD_TENANT_ID"],
} as const;

/**
 * Which platforms the local stack talks to. Each is simulated unless its URL variable is set
 * (ACCOUNT_PLATFORM_URL, OSIS_URL); a real one then needs its tenant and credential variables,
 * which reach the consumer through the same credential seam Secrets Manager sits behind.
 */
const realPlatformVariables = {
  ...givenPlatformFields,
  ACCOUNT_PLATFORM_TENANT_ID: optionalText,
  OSIS_CD_TENANT_ID: optionalText,
};

function platformChoiceOf(env: SettingValues<typeof realPlatformVariables>): PlatformChoice {
  const credentials = staticPlatformCredentials(env);
  const { ACCOUNT_PLATFORM_URL: accountUrl, ACCOUNT_PLATFORM_TENANT_ID: tenantId } = env;
  const { OSIS_URL: osisUrl, OSIS_BASE_PATH: basePath, OSIS_CD_TENANT_ID: cdTenantId } = env;
  return {
    accountPlatform:
      accountUrl && tenantId && credentials.accountPlatform
        ? { url: accountUrl, tenantId, credentials: credentials.accountPlatform }
        : undefined,
    osis:
      osisUrl && cdTenantId && credentials.osis
        ? { url: osisUrl, basePath, cdTenantId, credentials: credentials.osis }
        : undefined,
  };
}

/** Reads the real-platform variables; one ConfigurationError names every missing or bad one. */
export function choosePlatforms(env: Environment): PlatformChoice {
  const summary = "The real-platform settings are not usable";
  const values = readSettings(realPlatformVariables, env, summary, {
    // A bad value counts as given here: it has its own problem, and its platform is still real.
    checks: [
      (_, given) =>
        Object.entries(REQUIRED_WITH_URL).flatMap(([url, names]) =>
          given(url as keyof typeof REQUIRED_WITH_URL)
            ? names
                .filter((name) => !given(name))
                .map((name) => ({ setting: name, message: `is required when ${url} is set` }))
            : [],
        ),
      (_, given) =>
        given("OSIS_URL") &&
        !given("OSIS_TOKEN") &&
        !(given("OSIS_USERNAME") && given("OSIS_PASSWORD"))
          ? [
              {
                message:
                  "OSIS_USERNAME and OSIS_PASSWORD, or OSIS_TOKEN, are required when OSIS_URL is set",
              },
            ]
          : [],
    ],
  });
  return platformChoiceOf(values);
}

/**
 * Starts a simulator for each platform that is not real, with credentials made up for this
 * run (the consumer gets them through a static credential source; .lifecycle/local.json
 * shows them), and seeds the demo people into what is simulated.
 */
export async function setUpPlatforms(
  choice: PlatformChoice,
  ports: Pick<LocalPorts, "accountPlatform" | "osis">,
  options: { seedDemoPeople: boolean },
): Promise<PlatformSetup> {
  const [accountPlatform, osis] = await Promise.allSettled([
    choice.accountPlatform
      ? Promise.resolve<AccountPlatformSetup>({
          ...choice.accountPlatform,
          simulated: false,
          simulator: undefined,
        })
      : simulateAccountPlatform(ports.accountPlatform),
    choice.osis
      ? Promise.resolve<OsisSetup>({ ...choice.osis, simulated: false, simulator: undefined })
      : simulateOsis(ports.osis),
  ]);
  if (accountPlatform.status === "rejected" || osis.status === "rejected") {
    await stopPlatforms({
      accountPlatform: accountPlatform.status === "fulfilled" ? accountPlatform.value : undefined,
      osis: osis.status === "fulfilled" ? osis.value : undefined,
    });
    throw accountPlatform.status === "rejected" ? accountPlatform.reason : rejection(osis);
  }
  const setup = { accountPlatform: accountPlatform.value, osis: osis.value };
  if (options.seedDemoPeople) seedDemoPeople(setup);
  return setup;
}

function rejection(result: PromiseSettledResult<unknown>): unknown {
  return result.status === "rejected" ? result.reason : undefined;
}

export async function stopPlatforms(setup: {
  accountPlatform?: AccountPlatformSetup | undefined;
  osis?: OsisSetup | undefined;
}): Promise<void> {
  await Promise.allSettled([
    setup.accountPlatform?.simulator?.stop(),
    setup.osis?.simulator?.stop(),
  ]);
}

async function simulateAccountPlatform(port: number): Promise<AccountPlatformSetup> {
  const credentials = {
    clientId: "local-consumer",
    clientSecret: `local-${randomBytes(18).toString("base64url")}`,
  };
  const simulator = await listenOn("accountPlatform", port, () =>
    AccountPlatformSimulator.start({ port, host: LOCAL_HOST, clients: [credentials] }),
  );
  return {
    url: simulator.url,
    tenantId: DEMO_ACCOUNT_TENANT_ID,
    simulated: true,
    credentials,
    simulator,
  };
}

async function simulateOsis(port: number): Promise<OsisSetup> {
  const credentials = {
    username: "local-consumer",
    password: `local-${randomBytes(18).toString("base64url")}`,
  };
  const simulator = await listenOn("osis", port, () =>
    OsisSimulator.start({ port, host: LOCAL_HOST, basic: [credentials] }),
  );
  return {
    url: simulator.url,
    basePath: simulator.basePath,
    cdTenantId: DEMO_OSIS_CD_TENANT_ID,
    simulated: true,
    credentials,
    simulator,
  };
}

/**
 * The demo people (local/simulators/demo-users.ts) on whatever is simulated. With both
 * simulated this is `seedDemoUsers`; with one real platform, the other simulator gets its half
 * of the same people.
 */
function seedDemoPeople(setup: PlatformSetup): void {
  const accounts = setup.accountPlatform.simulator;
  const osis = setup.osis.simulator;
  if (accounts && osis) {
    seedDemoUsers(accounts, osis);
    return;
  }
  if (accounts) {
    accounts.seedTenant({ id: DEMO_ACCOUNT_TENANT_ID, name: "Acme Corp" });
    accounts.seedTenant({ id: DEMO_OTHER_ACCOUNT_TENANT_ID, name: "Globex Corp" });
    for (const person of DEMO_PEOPLE) {
      accounts.seedUser({
        id: person.accountUserId,
        login: person.login,
        tenant_id: person.accountTenantId,
        external_id: person.externalId,
        enabled: person.enabled,
        contact: { email: person.email, firstname: person.firstName, lastname: person.lastName },
      });
    }
  }
  if (osis) {
    seedDemoOsisPeople(osis);
  }
}
