import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./local-stack-harness.ts";

/**
 * docs/connect.md's producers, exactly as the page shows them, run against a local stack: each
 * must be answered 202 and its event reach the consumer.
 */
const CONNECT = await readFile(new URL("../../docs/connect.md", import.meta.url), "utf8");

const FENCE = "```";

/** The first fenced block of `language` under `### <heading…>`. */
function example(heading: string, language: string): string {
  const start = CONNECT.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`docs/connect.md has no "### ${heading}" section`);
  const block = new RegExp(`${FENCE}${language}\\n([\\s\\S]*?)${FENCE}`).exec(CONNECT.slice(start));
  if (!block?.[1]) throw new Error(`docs/connect.md, ${heading}: no \`\`\`${language} block`);
  return block[1];
}

let local: TestStack;
let directory: string;
beforeAll(async () => {
  local = await startTestStack();
  directory = await mkdtemp(join(tmpdir(), "connect-"));
});
afterAll(async () => {
  await local?.stack.stop();
  await rm(directory, { recursive: true, force: true });
});

const PRODUCERS: [string, string, string, (file: string) => [string, string[]]][] = [
  ["curl", "sh", "producer.sh", (file) => ["sh", [file]]],
  ["Python", "python", "producer.py", (file) => ["python3", [file]]],
  ["TypeScript", "ts", "producer.mts", (file) => [process.execPath, [file]]],
];

describe("docs/connect.md's producers, run against a local stack", () => {
  it.each(PRODUCERS)(
    "%s: 202, and the consumer gets the event",
    async (heading, language, name, command) => {
      const file = join(directory, name);
      await writeFile(file, example(heading, language));
      const [program, args] = command(file);
      const { stdout } = await promisify(execFile)(program, args, {
        env: {
          PATH: process.env.PATH,
          WEBHOOK_URL: local.stack.endpoints.webhook,
          SECRET: local.stack.webhookSecret,
        },
        timeout: 20_000,
      });
      const answer = /\{"accepted":\["([^"]+)"\]\} 202/.exec(stdout);
      expect(answer, `the producer printed: ${stdout}`).not.toBeNull();
      const eventId = answer?.[1];
      await expect
        .poll(() => local.outcomes.some((outcome) => outcome.eventId === eventId), {
          timeout: 15_000,
        })
        .toBe(true);
    },
  );
});
