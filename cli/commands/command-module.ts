import type { Command } from "commander";
import type { CommandContext } from "../command-context.ts";

/**
 * One command of the `lifecycle` program: a file under cli/commands/ exporting one of these,
 * listed once in cli/commands/index.ts. `register` adds the command (and any subcommands) to
 * `parent` with `parent.command(...)`, which carries the program's settings (exit handling,
 * output streams) over to it.
 */
export interface CommandModule {
  register(parent: Command, context: CommandContext): Command;
}

/** Help text after the options: examples, then any notes. */
export function helpAfter(command: Command, examples: readonly string[], notes?: string): Command {
  const text = [
    "",
    "Examples:",
    ...examples.map((example) => `  $ ${example}`),
    ...(notes ? ["", notes.trim()] : []),
    "",
  ].join("\n");
  return command.addHelpText("after", text);
}
