import type { Command } from "commander";
import type { CommandContext } from "../command-context.ts";
import { type CommandModule, helpAfter } from "./command-module.ts";

/**
 * `lifecycle local`: the local stack in the foreground, the same code as `npm start`
 * (local/local-command.ts owns the options, local/run-local.ts the run). The local stack is
 * loaded only when this command runs: it brings the stand-ins and simulators, which would
 * slow every other command down by a second.
 */
export const localCommand: CommandModule = {
  register(parent, context) {
    const command = parent
      .command("local")
      .description(
        "Run the local stack in the foreground (the same as npm start): SQS and DynamoDB stand-ins, platform simulators, webhook and consumer on 127.0.0.1.",
      )
      .action((_options: unknown, self: Command) => runLocalStack(self, context));
    parent.hook("preSubcommand", async (_parent, subcommand) => {
      if (subcommand !== command) return;
      const { addLocalStackOptions } = await import("../../local/local-command.ts");
      addLocalStackOptions(command);
    });
    return helpAfter(
      command,
      ["lifecycle local", "lifecycle local --demo", "lifecycle local --data .lifecycle/data"],
      `It writes .lifecycle/local.json in the current directory: the other commands run there then
act on this local stack. Ctrl-C stops it. Ports, settings and real platforms: docs/local.md.`,
    );
  },
};

async function runLocalStack(self: Command, context: CommandContext): Promise<void> {
  const [{ localRunSettings }, { runLocal }] = await Promise.all([
    import("../../local/local-command.ts"),
    import("../../local/run-local.ts"),
  ]);
  context.exitCode = await runLocal(localRunSettings(self), {
    stdout: context.io.stdout,
    stderr: context.io.stderr,
    signal: context.io.signal ?? new AbortController().signal,
    cliCommand: "lifecycle",
    env: context.env,
  });
}
