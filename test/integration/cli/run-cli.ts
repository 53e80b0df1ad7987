import { PassThrough, Readable } from "node:stream";
import type { ClientFactories, CliIo } from "../../../cli/cli-io.ts";
import { run } from "../../../cli/run.ts";

/** What one in-process run of the CLI printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  stdinIsTty?: boolean;
  env?: Record<string, string>;
  clients?: Partial<ClientFactories>;
  signal?: AbortSignal;
  sleep?: CliIo["sleep"];
  now?: () => number;
}

/** Runs `lifecycle <argv>` in process with its own streams, cwd and (empty) environment. */
export async function runCli(
  cwd: string,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => err.push(chunk.toString("utf8")));
  const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as Readable & {
    isTTY?: boolean;
  };
  if (options.stdinIsTty) stdin.isTTY = true;
  const code = await run(argv, {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    cwd,
    ...(options.clients ? { clients: options.clients } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}
