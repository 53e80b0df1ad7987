#!/usr/bin/env node
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import { run } from "./run.ts";

// The first Ctrl-C asks long commands to stop cleanly (a redrive finishes the message in hand
// and releases what it holds; a native move is cancelled); a second one quits at once.
const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  process.stderr.write("\nStopping cleanly… (Ctrl-C again to quit at once)\n");
  interrupt.abort();
});

// `lifecycle dlq list | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Only `send --file -` and confirmations read stdin; opening it eagerly would hold a TTY.
  get stdin() {
    return process.stdin;
  },
  signal: interrupt.signal,
});
process.exitCode = code;
// Every client is closed by now; a timer left behind by a library must not hold the exit.
setTimeout(() => process.exit(code), 1_000).unref();
