import { EPHEMERAL_PORTS } from "../local/local-ports.ts";
import { startLocalStack } from "../local/local-stack.ts";
import type { AccountPlatformSimulator } from "../local/simulators/account-platform/account-platform-simulator.ts";
import type { OutageMode, RandomFaultOptions } from "../local/simulators/common/fault-injector.ts";
import type { OsisSimulator } from "../local/simulators/osis/osis-simulator.ts";
import type { PlatformName } from "../shared/runtime/errors/platform-errors.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";

/**
 * The local stack's servers (fauxqs, dynalite, both simulators, the webhook) in a process of
 * their own, so that the consumer under test has the other core to itself; run by
 * bench/remote-stack.ts through `fork`. Commands arrive as IPC messages.
 */
export type StackCommand =
  | { id: number; command: "seed"; people: string[]; osisTenantId: string }
  | { id: number; command: "configure"; latencyMs: number; rateLimit: number | undefined }
  | { id: number; command: "clearCalls" }
  | { id: number; command: "calls" }
  | { id: number; command: "cpu" }
  | { id: number; command: "outage"; platform: PlatformName; mode: OutageMode | undefined }
  | { id: number; command: "callTimes"; platform: PlatformName }
  | { id: number; command: "randomFaults"; options: RandomFaultOptions | undefined }
  | { id: number; command: "firstWrites" }
  | { id: number; command: "states"; people: PersonIds[] }
  | { id: number; command: "stop" };

/** A seeded person's ids on both platforms. */
export interface PersonIds {
  accountId: string;
  osisTenantId: string;
  osisUserId: string;
}

/** When each user was first written (answered 200), epoch ms, by the id in the write's path. */
export interface FirstWrites {
  accountPlatform: Record<string, number>;
  osis: Record<string, number>;
}

export interface CallCounts {
  accountPlatform: { answered: number; throttled: number };
  osis: { answered: number; throttled: number };
}

const stack = await startLocalStack({
  ports: EPHEMERAL_PORTS,
  stackFile: false,
  seedDemoPeople: false,
  startPolling: false,
  env: {},
  logger: createLogger({ level: "error", format: "json" }),
});
const accountPlatform = stack.platforms.accountPlatform.simulator;
const osis = stack.platforms.osis.simulator;
if (!accountPlatform || !osis) throw new Error("the benchmarks need the simulated platforms");

const counts = (simulator: AccountPlatformSimulator | OsisSimulator) => {
  const calls = simulator.calls.all();
  const throttled = calls.filter((call) => call.status === 429).length;
  return { answered: calls.length - throttled, throttled };
};

function firstWrites(
  simulator: AccountPlatformSimulator | OsisSimulator,
  operation: string,
): Record<string, number> {
  const first: Record<string, number> = {};
  for (const call of simulator.calls.all()) {
    if (call.operation !== operation || call.status !== 200) continue;
    const id = decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
    first[id] = Math.min(first[id] ?? Number.POSITIVE_INFINITY, call.endedAt);
  }
  return first;
}

async function handle(message: StackCommand): Promise<unknown> {
  switch (message.command) {
    case "seed":
      return message.people.map((subject) => {
        const user = accountPlatform?.seedUser({
          login: `${subject}@bench.example`,
          tenant_id: stack.platforms.accountPlatform.tenantId,
          enabled: true,
          external_id: `ext-${subject}`,
        });
        osis?.seedUser({
          tenant_id: message.osisTenantId,
          cd_user_id: `cd-${subject}`,
          cd_tenant_id: stack.platforms.osis.cdTenantId,
          user_id: `osis-${subject}`,
          active: true,
        });
        return user?.id ?? "";
      });
    case "configure":
      for (const simulator of [accountPlatform, osis]) {
        simulator?.faults.setLatency(message.latencyMs);
        simulator?.faults.setRateLimit(message.rateLimit, 1);
      }
      return null;
    case "clearCalls":
      accountPlatform?.calls.clear();
      osis?.calls.clear();
      return null;
    case "calls":
      return {
        accountPlatform: accountPlatform ? counts(accountPlatform) : undefined,
        osis: osis ? counts(osis) : undefined,
      };
    case "outage": {
      const simulator = message.platform === "osis" ? osis : accountPlatform;
      if (message.mode === undefined) simulator?.faults.endOutage();
      else simulator?.faults.startOutage(message.mode);
      return null;
    }
    case "callTimes": {
      const simulator = message.platform === "osis" ? osis : accountPlatform;
      return simulator?.calls.all().map((call) => call.startedAt) ?? [];
    }
    case "randomFaults":
      for (const simulator of [accountPlatform, osis]) simulator?.faults.random(message.options);
      return null;
    case "firstWrites":
      return {
        accountPlatform: accountPlatform ? firstWrites(accountPlatform, "setEnabled") : {},
        osis: osis ? firstWrites(osis, "setActive") : {},
      } satisfies FirstWrites;
    case "states":
      return message.people.map((person) => ({
        enabled: accountPlatform?.user(person.accountId)?.enabled,
        active: osis?.user(person.osisTenantId, person.osisUserId)?.active !== false,
      }));
    case "cpu": {
      const { user, system } = process.cpuUsage();
      return user + system;
    }
    case "stop":
      await stack.stop();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on("message", (message: StackCommand) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.send?.({ id: 0, result: stack.stackFileContents() });
