import { createInterface } from "node:readline/promises";
import { UsageError } from "./cli-errors.ts";
import type { InputStream, OutputStream } from "./cli-io.ts";

/**
 * Asks a yes/no question on a terminal. Without a terminal there is nobody to ask: the caller
 * must have passed `--yes`, so this refuses (exit 2) rather than hang or guess.
 */
export async function confirm(
  question: string,
  io: { stdin: InputStream; stderr: OutputStream; signal?: AbortSignal | undefined },
): Promise<boolean> {
  if (io.stdin.isTTY !== true) {
    throw new UsageError(
      "Refusing to change anything without confirmation: run it in a terminal, or pass --yes.",
    );
  }
  const readline = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    const answer = await readline.question(
      `${question} Type "yes" to go on: `,
      io.signal ? { signal: io.signal } : {},
    );
    return answer.trim().toLowerCase() === "yes";
  } catch {
    return false;
  } finally {
    readline.close();
  }
}
