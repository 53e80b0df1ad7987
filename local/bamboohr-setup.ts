import { randomBytes } from "node:crypto";
import { readSettings, type SettingValues } from "../shared/runtime/configuration/read-settings.ts";
import {
  type Environment,
  httpUrl,
  optionalText,
} from "../shared/runtime/configuration/setting-fields.ts";
import { optional } from "../shared/runtime/configuration/setting-rule.ts";
import {
  type BambooHrApiCredentials,
  bambooHrApiCredentialsShape,
} from "../shared/runtime/credentials/secret-shapes.ts";
import { LOCAL_HOST } from "./local-ports.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { BambooHrSimulator } from "./simulators/bamboohr/bamboohr-simulator.ts";
import { seedDemoEmployees } from "./simulators/demo-users.ts";

/**
 * BambooHR's API as the local webhook reads it: the simulator (seeded with the demo people),
 * unless `BAMBOOHR_API_KEY` names a real account, which then needs `BAMBOOHR_COMPANY_DOMAIN`
 * (`BAMBOOHR_API_URL` optional, as deployed). The key reaches the webhook through the same
 * credential seam Secrets Manager sits behind.
 */
export interface BambooHrSetup {
  /** BAMBOOHR_API_URL as the webhook gets it. */
  url: string;
  companyDomain: string;
  simulated: boolean;
  credentials: BambooHrApiCredentials;
  simulator: BambooHrSimulator | undefined;
}

type RealBambooHr = Omit<BambooHrSetup, "simulated" | "simulator">;

const realBambooHrVariables = {
  BAMBOOHR_API_KEY: optionalText,
  BAMBOOHR_COMPANY_DOMAIN: optionalText,
  BAMBOOHR_API_URL: optional(httpUrl),
};
type RealBambooHrVariables = typeof realBambooHrVariables;

function bambooHrProblems(env: Partial<SettingValues<RealBambooHrVariables>>) {
  const problems: string[] = [];
  const given = [env.BAMBOOHR_API_KEY, env.BAMBOOHR_COMPANY_DOMAIN];
  if (given.some((value) => value === undefined) && given.some((value) => value !== undefined)) {
    problems.push("BAMBOOHR_API_KEY and BAMBOOHR_COMPANY_DOMAIN go together (a real BambooHR)");
  }
  const checked = bambooHrApiCredentialsShape({
    apiKey: env.BAMBOOHR_API_KEY ?? "-",
    companyDomain: env.BAMBOOHR_COMPANY_DOMAIN ?? "acme",
  });
  for (const problem of checked.ok ? [] : checked.problems) {
    problems.push(`${problem.path.join(".")} ${problem.message}`);
  }
  return problems.map((message) => ({ message }));
}

function realBambooHrOf(env: SettingValues<RealBambooHrVariables>): RealBambooHr | undefined {
  const { BAMBOOHR_API_KEY: apiKey, BAMBOOHR_COMPANY_DOMAIN: companyDomain } = env;
  if (apiKey === undefined || companyDomain === undefined) return undefined;
  const url = (env.BAMBOOHR_API_URL ?? `https://${companyDomain}.bamboohr.com`).replace(/\/+$/, "");
  return { url, companyDomain, credentials: { apiKey, companyDomain } };
}

/** A real BambooHR from the environment, or undefined (simulated). */
export function chooseBambooHr(env: Environment): RealBambooHr | undefined {
  const summary = "The BambooHR settings are not usable";
  return realBambooHrOf(
    readSettings(realBambooHrVariables, env, summary, { checks: [bambooHrProblems] }),
  );
}

export async function setUpBambooHr(
  real: RealBambooHr | undefined,
  port: number,
  options: { seedDemoPeople: boolean },
): Promise<BambooHrSetup> {
  if (real) return { ...real, simulated: false, simulator: undefined };
  const credentials = {
    apiKey: `local-${randomBytes(18).toString("base64url")}`,
    companyDomain: "acme",
  };
  const simulator = await listenOn("bamboohr", port, () =>
    BambooHrSimulator.start({
      port,
      host: LOCAL_HOST,
      apiKeys: [credentials.apiKey],
      companyDomain: credentials.companyDomain,
    }),
  );
  if (options.seedDemoPeople) seedDemoEmployees(simulator);
  return {
    url: simulator.url,
    companyDomain: credentials.companyDomain,
    simulated: true,
    credentials,
    simulator,
  };
}
