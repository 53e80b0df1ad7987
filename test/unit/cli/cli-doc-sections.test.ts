import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandPaths } from "../../support/cli-commands.ts";

const CLI_DOC = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
/** Each section: its heading line and the text up to the next heading. */
const SECTIONS = CLI_DOC.split(/\n(?=#{2,4} )/).map((text) => ({
  heading: text.split("\n")[0] ?? "",
  text,
}));

/** Text naming `lifecycle <words>` (followed by a space, an argument or a backtick). */
const names = (text: string, words: readonly string[]) =>
  new RegExp(`\\blifecycle ${words.join(" ")}(?=[\`\\s])`).test(text);

describe("docs/cli.md", () => {
  it.each(commandPaths().map((path) => [path.join(" "), path]))(
    "has a section for `lifecycle %s` (or for its group)",
    (_name, path) => {
      const words = path as string[];
      // Its own section (`lifecycle dlq list`), or its group's (`lifecycle schedule`) showing it.
      const covered = SECTIONS.some(
        ({ heading, text }) =>
          names(heading, words) ||
          (words.length > 1 && names(heading, words.slice(0, 1)) && names(text, words)),
      );
      expect(
        covered,
        `docs/cli.md: add a section "## \`lifecycle ${words.join(" ")}\`" (what it does, an example, its exit codes)`,
      ).toBe(true);
    },
  );
});
