import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import { POLLER_DEFAULTS } from "./event-source-poller-options.ts";
import {
  DEFAULT_LOCAL_PORTS,
  LOCAL_ENDPOINT_NAMES,
  LOCAL_ENDPOINTS,
  type LocalPorts,
} from "./local-ports.ts";
import { type LocalRunIo, type LocalRunSettings, runLocal } from "./run-local.ts";

/**
 * The command line of the local stack: `npm start -- [options]` (local/main.ts) and
 * `lifecycle local [options]` (the CLI adds these options to its own `local` command and
 * calls runLocal with `localRunSettings(command)`). Every option also reads an environment
 * variable; docs/local.md lists them.
 */
export const LOCAL_OPTION_ENV = {
  data: "LOCAL_DATA_DIR",
  concurrency: "LOCAL_CONSUMER_CONCURRENCY",
  functionTimeout: "LOCAL_CONSUMER_TIMEOUT_SECONDS",
} as const;

/** Adds the local stack's options to `command` (a fresh program, or the CLI's `local`). */
export function addLocalStackOptions(command: Command): Command {
  command
    .option(
      "--demo",
      "run a scripted set of events on free ports, in memory, print what happened, exit",
    )
    .addOption(
      new Option("--data <dir>", "keep the ledger on disk in this directory between runs").env(
        LOCAL_OPTION_ENV.data,
      ),
    );
  for (const name of LOCAL_ENDPOINT_NAMES) {
    const setting = LOCAL_ENDPOINTS[name];
    command.addOption(
      new Option(`${setting.flag} <port>`, `port of ${setting.label} (0 = any free port)`)
        .env(setting.env)
        .default(setting.defaultPort)
        .argParser(parsePort),
    );
  }
  command
    .addOption(
      new Option("--concurrency <n>", "concurrent consumer invocations (pollers)")
        .env(LOCAL_OPTION_ENV.concurrency)
        .default(POLLER_DEFAULTS.concurrency)
        .argParser(parseWholeNumber(1, 100)),
    )
    .addOption(
      new Option("--function-timeout <seconds>", "the consumer's function timeout")
        .env(LOCAL_OPTION_ENV.functionTimeout)
        .default(POLLER_DEFAULTS.functionTimeoutMs / 1000)
        .argParser(parseWholeNumber(1, 900)),
    );
  return command;
}

/** What the parsed options of `command` ask for. */
export function localRunSettings(command: Command): LocalRunSettings {
  const options = command.opts<{
    demo?: boolean;
    data?: string;
    concurrency?: number;
    functionTimeout?: number;
    [port: string]: unknown;
  }>();
  const ports = { ...DEFAULT_LOCAL_PORTS };
  const explicitPorts: Partial<LocalPorts> = {};
  for (const name of LOCAL_ENDPOINT_NAMES) {
    const key = portOptionKey(name);
    const value = options[key];
    if (typeof value === "number") ports[name] = value;
    const source = command.getOptionValueSource(key);
    if (source === "cli" || source === "env") explicitPorts[name] = ports[name];
  }
  return {
    demo: options.demo === true,
    dataDir: options.data,
    ports,
    explicitPorts,
    concurrency: options.concurrency,
    functionTimeoutMs:
      options.functionTimeout === undefined ? undefined : options.functionTimeout * 1000,
  };
}

/**
 * `npm start -- [options]`: parses `argv` and runs the stack (or the demo). Returns the exit
 * code: 0 done (Ctrl-C included), 1 failed, 2 usage error. Never exits the process.
 */
export async function runLocalMain(argv: readonly string[], io: LocalRunIo): Promise<number> {
  const program = addLocalStackOptions(new Command("npm start --"))
    .description(
      "Run the whole pipeline locally: SQS and DynamoDB stand-ins, both platform simulators, the webhook and the consumer, on 127.0.0.1.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Each option can also be set by the environment variable shown; ports, settings, the demo
people and how to use real platforms instead of the simulators: docs/local.md.

Examples:
  $ npm start
  $ npm start -- --demo
  $ npm start -- --data .lifecycle/data --sqs-port 14566
`,
    );
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return runLocal(localRunSettings(program), io);
}

/** "--account-platform-port" → "accountPlatformPort", commander's key for it. */
function portOptionKey(name: keyof LocalPorts): string {
  return LOCAL_ENDPOINTS[name].flag
    .slice(2)
    .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535 (0 = any free port).");
  }
  return port;
}

function parseWholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}
