import { randomBytes } from "node:crypto";
import type { Environment } from "../shared/config/consumer-config.ts";
import {
  type AccountPlatformCredentials,
  accountPlatformCredentialsSchema,
  type OsisCredentials,
  osisCredentialsSchema,
} from "../shared/credentials/secret-shapes.ts";
import { ConfigurationError } from "../shared/errors/configuration-error.ts";
import { parseHttpUrl } from "../shared/http/http-url.ts";
import { normalizeDatacenterUrl } from "../shared/platforms/account-platform/datacenter-url.ts";
import { DEFAULT_OSIS_BASE_PATH } from "../shared/platforms/osis/osis-base-url.ts";
import { LOCAL_HOST, type LocalPorts } from "./local-ports.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { AccountPlatformSimulator } from "./simulators/account-platform/account-platform-simulator.ts";
import {
  DEMO_ACCOUNT_TENANT_ID,
  DEMO_OSIS_CD_TENANT_ID,
  DEMO_OSIS_TENANT_ID,
  DEMO_OTHER_ACCOUNT_TENANT_ID,
  DEMO_PEOPLE,
  seedDemoUsers,
} from "./simulators/demo-users.ts";
import { OsisSimulator } from "./simulators/osis/osis-simulator.ts";

/**
 * Which platforms the local stack talks to. Each is simulated unless its URL variable is set
 * (ACCOUNT_PLATFORM_URL, OSIS_URL); a real one then needs its tenant and credential variables,
 * which reach the consumer through the same credential seam Secrets Manager sits behind.
 */
export const REAL_PLATFORM_VARIABLES = {
  accountPlatform: {
    url: "ACCOUNT_PLATFORM_URL",
    tenantId: "ACCOUNT_PLATFORM_TENANT_ID",
    clientId: "ACCOUNT_PLATFORM_CLIENT_ID",
    clientSecret: "ACCOUNT_PLATFORM_CLIENT_SECRET",
  },
  osis: {
    url: "OSIS_URL",
    basePath: "OSIS_BASE_PATH",
    cdTenantId: "OSIS_CD_TENANT_ID",
    username: "OSIS_USERNAME",
    password: "OSIS_PASSWORD",
    token: "OSIS_TOKEN",
  },
} as const;

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

/** Reads the real-platform variables; one ConfigurationError names every missing or bad one. */
export function choosePlatforms(env: Environment): PlatformChoice {
  const problems: string[] = [];
  const value = (name: string) => env[name]?.trim() || undefined;
  const required = (name: string, because: string) => {
    const found = value(name);
    if (found === undefined) problems.push(`${name} is required ${because}`);
    return found ?? "";
  };

  let accountPlatform: RealAccountPlatform | undefined;
  const names = REAL_PLATFORM_VARIABLES.accountPlatform;
  const accountUrl = value(names.url);
  if (accountUrl !== undefined) {
    const because = `when ${names.url} is set`;
    const tenantId = required(names.tenantId, because);
    const clientId = required(names.clientId, because);
    const clientSecret = required(names.clientSecret, because);
    const credentials = accountPlatformCredentialsSchema.safeParse({ clientId, clientSecret });
    if (!credentials.success && clientId !== "" && clientSecret !== "") {
      problems.push(`${names.clientId} or ${names.clientSecret} still holds a placeholder`);
    }
    const url = platformUrl(() => normalizeDatacenterUrl(accountUrl), problems);
    if (credentials.success) accountPlatform = { url, tenantId, credentials: credentials.data };
  }

  let osis: RealOsis | undefined;
  const osisNames = REAL_PLATFORM_VARIABLES.osis;
  const osisUrl = value(osisNames.url);
  if (osisUrl !== undefined) {
    const because = `when ${osisNames.url} is set`;
    const cdTenantId = required(osisNames.cdTenantId, because);
    const basePath = value(osisNames.basePath) ?? DEFAULT_OSIS_BASE_PATH;
    const token = value(osisNames.token);
    const username = value(osisNames.username);
    const password = value(osisNames.password);
    let credentials: OsisCredentials | undefined;
    if (token !== undefined) credentials = { token };
    else if (username !== undefined && password !== undefined) credentials = { username, password };
    else {
      problems.push(
        `${osisNames.username} and ${osisNames.password}, or ${osisNames.token}, are required ${because}`,
      );
    }
    const parsed = credentials && osisCredentialsSchema.safeParse(credentials);
    if (parsed && !parsed.success) {
      problems.push(`an OSIS credential variable still holds a placeholder`);
    }
    const url = platformUrl(() => parseHttpUrl(osisUrl, osisNames.url).origin, problems);
    if (parsed?.success) osis = { url, basePath, cdTenantId, credentials: parsed.data };
  }

  if (problems.length > 0) {
    throw new ConfigurationError("The real-platform settings are not usable", problems);
  }
  return { accountPlatform, osis };
}

function platformUrl(parse: () => string, problems: string[]): string {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
    return "";
  }
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
    for (const person of DEMO_PEOPLE.filter((demo) => demo.inOsis)) {
      osis.seedUser({
        tenant_id: DEMO_OSIS_TENANT_ID,
        cd_tenant_id: DEMO_OSIS_CD_TENANT_ID,
        cd_user_id: person.login,
        user_id: person.login,
        username: person.login,
        email: person.email,
        role: "TENANT_USER",
        active: person.enabled,
      });
    }
  }
}
