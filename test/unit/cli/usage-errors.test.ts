import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command, Option } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageSentence } from "../../../cli/usage-wording.ts";
import { runCli } from "../../integration/cli/run-cli.ts";
import { leafCommands } from "../../support/cli-commands.ts";

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "cli-usage-"));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

/** The one line `lifecycle: …` a refusal prints (commander's hint line aside), and its exit. */
async function refusal(argv: string[]): Promise<{ code: number; sentence: string }> {
  const result = await runCli(cwd, argv);
  const lines = result.stderr.split("\n").filter((line) => line.startsWith("lifecycle:"));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return { code: result.code, sentence: lines[0] ?? "" };
}

const withValue = (option: Option) => option.required || option.optional;
const leaves = leafCommands();
const BAD = "%bad%";

/**
 * Every flag of every command, as commander registers them: a flag added later by any command
 * is held to the same wording without a line here.
 */
describe("a refused command line names the flag and the fix, for every command", () => {
  const valued = leaves.flatMap(({ path, command }) =>
    command.options.filter(withValue).map((option) => ({ path, option })),
  );
  const parsed = valued.filter(({ option }) => refusesBadValue(option));

  it("covers the flags it should (the walk found them)", () => {
    expect(valued.map(({ option }) => option.long)).toEqual(
      expect.arrayContaining(["--subject", "--type", "--since", "--rate", "--reason"]),
    );
    expect(parsed.map(({ option }) => option.long)).toEqual(
      expect.arrayContaining(["--since", "--rate"]),
    );
  });

  it.each(valued.map(({ path, option }) => [`${path.join(" ")} ${option.long}`, path, option]))(
    "%s without its value: `--flag needs a value`, exit 2",
    async (_name, path, option) => {
      const flag = (option as Option).long ?? "";
      const { code, sentence } = await refusal([...(path as string[]), flag]);
      expect(code).toBe(2);
      expect(sentence).toBe(`lifecycle: ${flag} needs a value (${(option as Option).flags}).`);
    },
  );

  it.each(parsed.map(({ path, option }) => [`${path.join(" ")} ${option.long}`, path, option]))(
    "%s with a bad value: `--flag <what a good value is> (got …)`, exit 2",
    async (_name, path, option) => {
      const flag = (option as Option).long ?? "";
      const { code, sentence } = await refusal([...(path as string[]), flag, BAD]);
      expect(code).toBe(2);
      expect(sentence).toMatch(new RegExp(`^lifecycle: ${flag} .*\\(got "${BAD}"\\)\\.$`));
    },
  );

  it.each(leaves.map(({ path }) => [path.join(" "), path]))(
    "%s with an unknown flag: `--flag is not an option here`, exit 2",
    async (_name, path) => {
      const { code, sentence } = await refusal([...(path as string[]), "--no-such-flag"]);
      expect(code).toBe(2);
      expect(sentence).toBe("lifecycle: --no-such-flag is not an option here.");
    },
  );

  it.each(
    leaves
      .filter(({ command }) => command.registeredArguments.some((a) => a.required))
      .map(({ path, command }) => [path.join(" "), path, command]),
  )("%s without its argument: `<name> is required`, exit 2", async (_name, path, command) => {
    const name = (command as Command).registeredArguments[0]?.name();
    const { code, sentence } = await refusal(path as string[]);
    expect(code).toBe(2);
    expect(sentence).toBe(`lifecycle: <${name}> is required.`);
  });
});

function refusesBadValue(option: Option): boolean {
  if (option.parseArg === undefined) return false;
  try {
    option.parseArg(BAD, undefined as never);
    return false;
  } catch {
    return true;
  }
}

describe("usageSentence", () => {
  it("says each kind of refusal as the flag first", () => {
    expect(
      usageSentence("error: option '--since <time>' argument 'x' is invalid. must be a time.\n"),
    ).toBe('--since must be a time (got "x").');
    expect(
      usageSentence(
        "error: command-argument value 'a b' is invalid for argument 'subject'. must be 1-128 letters.",
      ),
    ).toBe('<subject> must be 1-128 letters (got "a b").');
    expect(usageSentence("error: required option '-s, --subject <id>' not specified")).toBe(
      "--subject is required.",
    );
    expect(usageSentence("error: unknown command 'lst'\n(Did you mean list?)")).toBe(
      '"lst" is not a command; the nearest is list.',
    );
    expect(
      usageSentence("error: too many arguments for 'status'. Expected 1 argument but got 2: a, b."),
    ).toBe("status takes 1 argument (got a, b).");
  });

  it("keeps a line it has no row for, on one line", () => {
    expect(usageSentence("error: something new\nhappened")).toBe("something new happened");
  });
});

describe("lifecycle send from flags", () => {
  const target = ["--account-login", "jdoe", "--dry-run"];

  it("says a missing --subject as the flag", async () => {
    const { code, sentence } = await refusal(["send", "--type", "offboarded", ...target]);
    expect(code).toBe(2);
    expect(sentence).toBe("lifecycle: --subject is required.");
  });

  it("says a missing or misspelt --type as the flag, with the values it takes", async () => {
    const missing = await refusal(["send", "--subject", "emp-42", ...target]);
    expect(missing.sentence).toBe("lifecycle: --type is required.");
    const misspelt = await refusal([
      "send",
      "--type",
      "offbaorded",
      "--subject",
      "emp-42",
      ...target,
    ]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.sentence).toBe(
      'lifecycle: --type must be onboarded or offboarded (got "offbaorded").',
    );
  });

  it("says a missing target as the flags that name one", async () => {
    const { sentence } = await refusal([
      "send",
      "--type",
      "offboarded",
      "--subject",
      "e",
      "--dry-run",
    ]);
    expect(sentence).toMatch(
      /^lifecycle: a target is required: --account-login, .*--osis-cd-user-id/,
    );
  });
});

describe("lifecycle send --file", () => {
  it("says where a pretty-printed file breaks, by the JSON parser's line and column", async () => {
    const file = join(cwd, "trailing-comma.json");
    await writeFile(
      file,
      '{\n  "type": "user.offboarded",\n  "subject": "emp-42",\n  "data": {"osis": {"cdUserId": "jdoe"},}\n}\n',
    );
    const { code, sentence } = await refusal(["send", "--file", file, "--dry-run"]);
    expect(code).toBe(2);
    expect(sentence).toMatch(/^lifecycle: The input is not JSON at line 4, column 41 \(/);
  });

  it("finds the place of a mistake the parser words without one", async () => {
    const file = join(cwd, "bare-word.json");
    await writeFile(file, '{\n  "type": offboarded\n}\n');
    const { sentence } = await refusal(["send", "--file", file, "--dry-run"]);
    expect(sentence).toContain("line 2, column 11 (Unexpected token 'o')");
  });

  it("names the NDJSON line and its column", async () => {
    const file = join(cwd, "events.ndjson");
    await writeFile(file, '{"subject": "a"}\n{"subject": tru}\n');
    const { sentence } = await refusal(["send", "--file", file, "--dry-run"]);
    expect(sentence).toMatch(/^lifecycle: Line 2 is not JSON at column 16 \(/);
  });
});

describe("lifecycle --version", () => {
  it("prints the package's version and exits 0", async () => {
    const manifest = JSON.parse(
      await readFile(new URL("../../../package.json", import.meta.url), "utf8"),
    );
    const result = await runCli(cwd, ["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });
});
