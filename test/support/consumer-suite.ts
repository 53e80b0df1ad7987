import { afterAll, afterEach, beforeAll } from "vitest";
import {
  type ConsumerEnvironment,
  type Scenario,
  type ScenarioOptions,
  startConsumerEnvironment,
} from "./consumer-environment.ts";

export interface ConsumerSuiteOptions {
  /** Told the environment once it runs (before the first test). */
  started(environment: ConsumerEnvironment): void;
  /** Sees each scenario of a test before it is closed (to keep its logs, say). */
  beforeClose?(scenario: Scenario): Promise<void> | void;
}

/** Starts a consumer for one test; closed after the test. */
export type StartScenario = (
  env?: Record<string, string>,
  options?: Omit<ScenarioOptions, "env">,
) => Promise<Scenario>;

/**
 * The hooks every consumer integration file shares: one environment for the file; after each
 * test, both simulators back to no faults, no latency and an empty call log, and the test's
 * scenarios closed.
 */
export function useConsumerEnvironment(options: ConsumerSuiteOptions): StartScenario {
  let environment: ConsumerEnvironment | undefined;
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    environment = await startConsumerEnvironment();
    options.started(environment);
  });

  afterEach(async () => {
    for (const simulator of [environment?.accountPlatform, environment?.osis]) {
      simulator?.faults.clear();
      simulator?.faults.setLatency(0);
      simulator?.calls.clear();
    }
    for (const scenario of scenarios.splice(0)) {
      await options.beforeClose?.(scenario);
      scenario.close();
    }
  });

  afterAll(async () => {
    await environment?.stop();
  });

  return async (env = {}, scenarioOptions = {}) => {
    if (environment === undefined) throw new Error("The consumer environment has not started");
    const created = await environment.scenario({ ...scenarioOptions, env });
    scenarios.push(created);
    return created;
  };
}
