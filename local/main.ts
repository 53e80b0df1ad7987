#!/usr/bin/env node
import { EXIT } from "../shared/operator/terminal/exit-codes.ts";
import { runLocalMain } from "./local-command.ts";

// `npm start -- [options]`: the whole pipeline on 127.0.0.1 (docs/local.md). The first Ctrl-C
// stops cleanly (running batches get up to 5 s) and exits 0; a second one quits at once.
const interrupt = new AbortController();
let firstSignalAt: number | undefined;
const onSignal = () => {
  const now = Date.now();
  if (firstSignalAt === undefined) {
    firstSignalAt = now;
    interrupt.abort();
    return;
  }
  // Under `npm start` one Ctrl-C arrives twice: from the terminal, and forwarded by npm a few
  // milliseconds later. Only a later one is the user's second Ctrl-C.
  if (now - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
  process.exit(EXIT.interrupted);
};
const DUPLICATE_SIGNAL_MS = 300;
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await runLocalMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
process.exitCode = code;
// Everything is stopped by now; a timer left behind by a stand-in must not hold the exit.
setTimeout(() => process.exit(code), 1_000).unref();
