import { Command } from "commander";
import type { CommandContext } from "./command-context.ts";
import { COMMANDS } from "./commands/index.ts";
import { packageVersion } from "./package-version.ts";
import { usageSentence } from "./usage-wording.ts";

/**
 * The `lifecycle` program: global options (where to act), output to the run's streams, and
 * exit handling left to `run` (exitOverride: commander throws instead of exiting). Settings
 * made here before commands are added carry over to every command and subcommand.
 */
export function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command("lifecycle")
    .description(
      "Send HR lifecycle events, inspect and redrive the dead-letter queue, look a person up.",
    )
    .option("--stack <name>", "act on this deployed CloudFormation stack (its outputs)")
    .option("--region <region>", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION)")
    .option("--queue-url <url>", "source queue URL (default: QUEUE_URL)")
    .option("--dlq-url <url>", "dead-letter queue URL (default: DLQ_URL)")
    .option("--ledger-table <name>", "ledger table name (default: LEDGER_TABLE)")
    .option("--sqs-endpoint <url>", "SQS endpoint (default: AWS_ENDPOINT_URL_SQS)")
    .option("--dynamodb-endpoint <url>", "DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB)")
    .option("--verbose", "more detail on errors, and where each setting came from")
    .version(packageVersion(), "-V, --version", "print the version of lifecycle")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Every command's refused command line, said as the flag and its fix.
      outputError: (text, write) => write(`lifecycle: ${usageSentence(text)}\n`),
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError("(add --help for usage)")
    .hook("preAction", (_program, action) => {
      context.verbose = action.optsWithGlobals().verbose === true;
    });
  for (const command of COMMANDS) command.register(program, context);
  program.addHelpText(
    "after",
    `
Where it acts: flags, then the environment (QUEUE_URL, DLQ_URL, LEDGER_TABLE, AWS_REGION,
AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB), then .lifecycle/local.json (the running
local stack), then the outputs of --stack NAME (which skips the local stack file). Every
command says on stderr which environment it acts on.

Exit codes: 0 success, 1 failure (a partial redrive included), 2 usage error.

Examples:
  $ lifecycle dlq list
  $ lifecycle dlq redrive --reason retries_exhausted --dry-run --stack HrLifecycleSync
  $ lifecycle send --type offboarded --subject emp-42 --account-login jdoe
  $ lifecycle status emp-42
`,
  );
  return program;
}
