import type { Command } from "commander";
import { FAILURE_TARGETS } from "../../shared/contract/dead-letter-attributes.ts";
import { requireSetting } from "../../shared/operator/configuration/lifecycle-settings.ts";
import { formatTable } from "../../shared/operator/terminal/text-table.ts";
import type { BreakerState } from "../../shared/runtime/breaker/breaker-rules.ts";
import { BreakerStore } from "../../shared/runtime/breaker/breaker-store.ts";
import type { CommandContext } from "../command-context.ts";
import { isoSeconds } from "../output/time-format.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

interface PlatformsFlags {
  json?: boolean;
}

/** `lifecycle platforms`: each platform's circuit breaker, as the consumer shares it. */
export const platformsCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("platforms")
      .description(
        "Show each platform's circuit breaker: closed (calls go) or open (records wait for it).",
      )
      .option("--json", "print the breakers' state as JSON")
      .action((flags: PlatformsFlags, self: Command) => platforms(flags, self, context));
    return helpAfter(
      command,
      ["lifecycle platforms", "lifecycle platforms --stack HrLifecycleSync --json"],
      `While a breaker is open, records that need that platform wait in the queue (no attempt
counted) and the consumer calls it once per probe interval; the first answer closes it. A
record still waiting after CONSUMER_OUTAGE_PATIENCE_SECONDS goes to the DLQ with reason
platform_unavailable (README.md, "A platform is down").`,
    );
  },
};

async function platforms(
  flags: PlatformsFlags,
  self: Command,
  context: CommandContext,
): Promise<void> {
  const settings = await context.settings(self);
  const store = new BreakerStore({
    client: context.dynamodb(settings),
    tableName: requireSetting(settings, "ledgerTable"),
  });
  const states = await Promise.all(
    FAILURE_TARGETS.map(async (platform) => ({ platform, ...(await store.read(platform)) })),
  );
  if (flags.json) {
    context.out(JSON.stringify(states, null, 2));
    return;
  }
  context.out(
    formatTable(
      ["PLATFORM", "BREAKER", "SINCE", "NEXT PROBE", "CONSECUTIVE FAILURES"],
      states.map((state) => [
        state.platform,
        state.phase,
        since(state),
        state.phase === "open" && state.nextProbeAt !== undefined
          ? isoSeconds(state.nextProbeAt)
          : undefined,
        String(state.failures),
      ]),
    ),
  );
}

function since(state: BreakerState): string | undefined {
  const at = state.phase === "open" ? state.openedAt : state.closedAt;
  return at === undefined ? undefined : isoSeconds(at);
}
