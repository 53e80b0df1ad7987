import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { CommandContext } from "../../cli/command-context.ts";
import { buildProgram } from "../../cli/program.ts";

/** Every command commander registers under `lifecycle`, with its path (["dlq", "list"]). */
export function everyCommand(): { path: string[]; command: Command }[] {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
  const found: { path: string[]; command: Command }[] = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      found.push({ path, command: sub });
      walk(sub, path);
    }
  };
  walk(buildProgram(new CommandContext(io)), []);
  return found;
}

/** Every command path: ["send"], ["dlq"], ["dlq", "list"], … */
export function commandPaths(): string[][] {
  return everyCommand().map(({ path }) => path);
}

/** The commands that run something (no subcommands of their own). */
export function leafCommands(): { path: string[]; command: Command }[] {
  return everyCommand().filter(({ command }) => command.commands.length === 0);
}
