import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNTH_TIMEOUT_MS, type Synthesized, synthesizeWithStubHandlers } from "./synthesize.ts";

/**
 * What README.md's Deploy section says the stack holds, against the template itself. Each
 * failure names the sentence or table row to update and the number the template has now.
 */
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const DEPLOY = section("## Deploy");

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesizeWithStubHandlers();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesized.cleanUp());

const count = (type: string) => Object.keys(synthesized.template.findResources(type)).length;
const outputs = () => Object.keys(synthesized.template.toJSON().Outputs ?? {});

describe("README.md, Deploy, says what the template holds", () => {
  it.each([
    ["Lambda functions", "AWS::Lambda::Function"],
    ["Secrets Manager secrets", "AWS::SecretsManager::Secret"],
    ["alarms", "AWS::CloudWatch::Alarm"],
    ["managed policies", "AWS::IAM::ManagedPolicy"],
  ])("the number of %s", (words, type) => {
    expect(
      said(DEPLOY, new RegExp(`(\\d+) ${words}`)),
      `README.md, ## Deploy, first paragraph: "<n> ${words}"; the template has ${count(type)} ${type}`,
    ).toBe(count(type));
  });

  it("the outputs, by number and by name", () => {
    const paragraph = DEPLOY.slice(
      DEPLOY.indexOf("The stack's "),
      DEPLOY.indexOf("```", DEPLOY.indexOf("The stack's ")),
    );
    expect(
      said(paragraph, /The stack's (\d+) outputs/),
      `README.md, ### Deploy: "The stack's <n> outputs"; the template has ${outputs().length}`,
    ).toBe(outputs().length);
    const named = [...paragraph.matchAll(/`([A-Z][A-Za-z]+)`/g)].map((match) => match[1]);
    expect(
      named.sort(),
      "README.md, ### Deploy: name each output of the template (in backticks) in the outputs paragraph",
    ).toEqual(outputs().sort());
  });

  it("the cost table's secrets and alarms", () => {
    const cost = section("### Rough monthly cost");
    expect(
      said(cost, /\| Secrets Manager \| (\d+) secrets ×/),
      `README.md, cost table, Secrets Manager row (and its price and the totals): the template has ${count("AWS::SecretsManager::Secret")} secrets`,
    ).toBe(count("AWS::SecretsManager::Secret"));
    expect(
      said(cost, /\| CloudWatch alarms \| (\d+) ×/),
      `README.md, cost table, CloudWatch alarms row (and its price and the totals): the template has ${count("AWS::CloudWatch::Alarm")} alarms`,
    ).toBe(count("AWS::CloudWatch::Alarm"));
  });

  it("the bundle-size table has a row for each bundled function", () => {
    const table = section("### Bundle sizes");
    const rows = [...table.matchAll(/^\| ([a-z-]+) \| \d+ KiB/gm)].map((match) => match[1]);
    expect(
      rows,
      "README.md, ### Bundle sizes: one row per function, with the figures npm run synth prints",
    ).toEqual(Object.keys(synthesized.stack.bundledFunctions));
  });
});

/** The README from `heading` to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
  const level = heading.split(" ")[0] ?? "";
  const after = README.slice(start + heading.length + 1);
  const next = after.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? after : after.slice(0, next);
}

function said(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
}
