import { CommanderError } from "commander";
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import type { CliIo } from "./cli-io.ts";
import { CommandContext } from "./command-context.ts";
import { describeFailure } from "./describe-failure.ts";
import { buildProgram } from "./program.ts";

export type { CliIo } from "./cli-io.ts";

/**
 * Runs one `lifecycle` command line and returns its exit code: 0 success, 1 failure, 2 usage
 * error. Never throws and never exits the process, so tests call it in process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const context = new CommandContext(io);
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written its message (or the help) to stderr/stdout.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const failure = describeFailure(error, context.settingsIfResolved ?? {});
    io.stderr.write(`lifecycle: ${failure.message}\n`);
    if (context.verbose) {
      if (failure.detail) io.stderr.write(`${indent(failure.detail)}\n`);
      if (failure.unexpected && error instanceof Error && error.stack) {
        io.stderr.write(`${indent(error.stack)}\n`);
      }
    } else if (failure.detail || failure.unexpected) {
      io.stderr.write("(run again with --verbose for details)\n");
    }
    return failure.exitCode;
  } finally {
    context.dispose();
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
